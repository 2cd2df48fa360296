// The Action's post step: revokes the token the main step minted, unless skip-token-revoke is true or it
// has expired already.
import { describe } from "../errors.js";
import { revokeToken } from "../revoke.js";
import { booleanInput, fail, getState, info } from "./runner.js";

async function run(): Promise<void> {
  if (booleanInput("skip-token-revoke")) return info("Token revocation skipped (skip-token-revoke).");
  const token = getState("token");
  if (token === "") return info("No token to revoke.");
  const expiresAt = Date.parse(getState("expires-at"));
  if (Number.isFinite(expiresAt) && expiresAt <= Date.now()) return info("The token has expired already; nothing to revoke.");
  await revokeToken({ url: getState("api-url"), era: getState("era"), token }, process.env);
  info("Token revoked.");
}

run().catch((error: unknown) => fail(describe(error)));
