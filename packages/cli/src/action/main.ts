// The Action's main step: mints the installation token (what `ghes-sdk token` does), masks it, sets the
// outputs token, installation-id and app-slug, and saves what the post step needs to revoke it. The inputs
// are those of actions/create-github-app-token, plus api-version (the era).
import { describe } from "../errors.js";
import { mintToken, splitList } from "../token.js";
import { booleanInput, fail, info, input, mask, permissionInputs, saveState, setOutput } from "./runner.js";

async function run(): Promise<void> {
  const env = process.env;
  const appId = input("app-id");
  const clientId = input("client-id");
  const privateKey = input("private-key");
  if (privateKey === "") throw new Error("input private-key is required: pass the App's private key, e.g. private-key: ${{ secrets.APP_PRIVATE_KEY }}");
  if ((appId === "") === (clientId === "")) throw new Error("give the App as one of the inputs app-id or client-id");
  const url = input("github-api-url") || env["GITHUB_API_URL"] || "";
  if (url === "") throw new Error("input github-api-url is empty and GITHUB_API_URL is not set: give your GHES's API URL, e.g. https://ghes.example.com/api/v3");
  const apiVersion = input("api-version");
  let owner = input("owner");
  let repositories = splitList(input("repositories"));
  let repository: string | undefined;
  // As actions/create-github-app-token: no owner and no repositories → the current repository only;
  // repositories without owner → the current repository's owner.
  if (owner === "" && repositories.length === 0) {
    const current = env["GITHUB_REPOSITORY"] ?? "";
    if (!current.includes("/")) throw new Error("give the input owner (or repositories): GITHUB_REPOSITORY is not set");
    repository = current;
    repositories = [current.split("/")[1]!];
  } else if (owner === "") owner = env["GITHUB_REPOSITORY_OWNER"] ?? "";
  const permissions = permissionInputs(env);
  const skipRevoke = booleanInput("skip-token-revoke");

  const minted = await mintToken(
    {
      url,
      era: apiVersion === "" || apiVersion === "auto" ? undefined : apiVersion,
      ...(appId ? { appId } : { clientId }),
      privateKey,
      ...(repository ? { repository } : { owner }),
      repositories,
      permissions: Object.keys(permissions).length > 0 ? permissions : undefined,
    },
    env,
  );
  mask(minted.token);
  setOutput("token", minted.token);
  setOutput("installation-id", String(minted.installation_id));
  setOutput("app-slug", minted.app_slug);
  if (!skipRevoke) {
    saveState("token", minted.token);
    saveState("api-url", minted.apiUrl);
    saveState("era", minted.era);
    saveState("expires-at", minted.expires_at);
  }
  info(`Minted a token of ${minted.app_slug} for installation ${minted.installation_id} (${minted.era}), valid until ${minted.expires_at}.`);
}

run().catch((error: unknown) => fail(describe(error)));
