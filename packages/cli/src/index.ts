// The commands as functions, for scripts that would rather not spawn the bin.
export { main } from "./main.js";
export { mintToken, CLIENT_ID_SINCE, type MintedToken, type TokenRequest } from "./token.js";
export { apiUrlOf } from "./connect.js";
export type { Io } from "./io.js";
export { revokeToken } from "./revoke.js";
export { checkToken, type TokenCheck } from "./check-token.js";
