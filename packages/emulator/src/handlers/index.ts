// Every operation's handler, keyed by operationId: one file per API group. The contract suite fails for
// any operation of any era's spec that has none here.
import type { Handler } from "../context.js";
import { apps } from "./apps.js";
import { authorizations } from "./authorizations.js";
import { installations } from "./installations.js";
import { oauthTokens } from "./oauth-tokens.js";
import { webhooks } from "./webhooks.js";

export const handlers: Readonly<Record<string, Handler>> = { ...apps, ...installations, ...webhooks, ...oauthTokens, ...authorizations };
