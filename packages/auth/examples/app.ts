// Acting as the GitHub App itself: an RS256 JWT signed with the App's private key.
import { appAuth } from "@ghes-sdk/auth";
import { createClient } from "@ghes-sdk/ghes-2.2x";
import { readFileSync } from "node:fs";

const github = createClient({
  baseUrl: process.env.GHES_API_URL!,
  auth: appAuth({
    appId: process.env.GHES_APP_ID!,
    privateKey: readFileSync(process.env.GHES_APP_PRIVATE_KEY_PATH!, "utf8"), // the .pem GitHub gave you
  }),
});

const { data, error } = await github.GET("/app");
if (error) throw new Error(`GET /app failed: ${JSON.stringify(error)}`);
console.log(`authenticated as ${data.name} (${data.slug})`);
