// Without an era client: any openapi-fetch client works. Pass `era` so minting sends the headers that
// generation needs (here 2.2x's machine-man preview); without it, Accept: application/vnd.github+json is sent.
import { installationAuth } from "@ghes-sdk/auth";
import { era, type paths } from "@ghes-sdk/ghes-2.2x";
import { readFileSync } from "node:fs";
import createClient from "openapi-fetch";

const github = createClient<paths>({ baseUrl: process.env.GHES_API_URL! });
github.use(
  installationAuth({
    appId: process.env.GHES_APP_ID!,
    privateKey: readFileSync(process.env.GHES_APP_PRIVATE_KEY_PATH!, "utf8"),
    installationId: process.env.GHES_INSTALLATION_ID!,
    era,
  }),
);

const { data } = await github.GET("/installation/repositories", {
  headers: { Accept: "application/vnd.github.machine-man-preview+json" }, // a plain client adds no previews itself
});
console.log(`${data?.total_count} repositories`);
