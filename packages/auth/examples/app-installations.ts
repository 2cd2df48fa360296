// One App, many installations: each request acts as the installation of the repository it names.
import { appInstallationsAuth } from "@ghes-sdk/auth";
import { createClient } from "@ghes-sdk/ghes-3.x";
import { readFileSync } from "node:fs";

const auth = appInstallationsAuth({
  appId: process.env.GHES_APP_ID!,
  privateKey: readFileSync(process.env.GHES_APP_PRIVATE_KEY_PATH!, "utf8"),
  // Optional. The default looks up /repos/{owner}/{repo}/installation (once per repository) for paths that
  // name a repository, and sends the App JWT for everything else, such as /app.
  // installationId: (request) => installationIdFor(request.pathParams["owner"]),
});
const github = createClient({ baseUrl: process.env.GHES_API_URL!, auth });

const { data: app, response } = await github.GET("/app");
if (!app) throw new Error(`GET /app failed: ${response.status}`);
for (const repo of ["api", "web"]) {
  const { data, error } = await github.GET("/repos/{owner}/{repo}/installation", {
    params: { path: { owner: "octo-org", repo } },
  });
  if (error) throw new Error(`installation of octo-org/${repo}: ${JSON.stringify(error)}`);
  console.log(`octo-org/${repo} is served by installation ${data.id} of ${app.name}`);
}
