// One middleware for an App that calls /app, /applications/{client_id}/… and installation endpoints.
import { appRouteAuth } from "@ghes-sdk/auth";
import { createClient } from "@ghes-sdk/ghes-2.2x";
import { readFileSync } from "node:fs";

const clientId = process.env.GHES_CLIENT_ID!;
const github = createClient({
  baseUrl: process.env.GHES_API_URL!,
  auth: appRouteAuth({
    appId: process.env.GHES_APP_ID!,
    privateKey: readFileSync(process.env.GHES_APP_PRIVATE_KEY_PATH!, "utf8"),
    clientId, // for /applications/{client_id}/…
    clientSecret: process.env.GHES_CLIENT_SECRET!,
    installationId: process.env.GHES_INSTALLATION_ID!, // for everything else
  }),
});

const installations = await github.GET("/app/installations"); // App JWT
console.log(`installations: ${installations.data?.map((i) => i.id).join(", ")}`);
const repos = await github.GET("/installation/repositories"); // installation token
console.log(`repositories: ${repos.data?.total_count}`);
const check = await github.POST("/applications/{client_id}/token", { // client_id:client_secret
  params: { path: { client_id: clientId } },
  body: { access_token: process.env.GHES_ACCESS_TOKEN! },
});
console.log(`token check: ${check.response.status}`);
