// Acting as one installation of the App: tokens are minted, cached and refreshed for you.
import { installationAuth } from "@ghes-sdk/auth";
import { createClient } from "@ghes-sdk/ghes-2.2x";
import { readFileSync } from "node:fs";

const auth = installationAuth({
  appId: process.env.GHES_APP_ID!,
  privateKey: readFileSync(process.env.GHES_APP_PRIVATE_KEY_PATH!, "utf8"),
  installationId: process.env.GHES_INSTALLATION_ID!,
  permissions: { metadata: "read" }, // optional: ask for less than the installation has
});
const github = createClient({ baseUrl: process.env.GHES_API_URL!, auth });

const { data, error } = await github.GET("/installation/repositories");
if (error) throw new Error(`GET /installation/repositories failed: ${JSON.stringify(error)}`);
console.log(`${data.total_count} repositories: ${data.repositories.map((r) => r.full_name).join(", ")}`);

// Done: revoke the token rather than leave it valid for the rest of its hour.
console.log(`revoked ${await auth.revoke()} token(s)`);
