export { startEmulator, type Emulator, type EmulatorOptions, type Served, type Violation } from "./server.js";
export { EmulatorState, hashToken, INSTALLATION_TOKEN_TTL_MS, STATELESS_TOKEN, STATELESS_TOKENS_SINCE, TOKEN_PREFIX, totp } from "./state.js";
export type {
  CreateAppOptions,
  CreateInstallationOptions,
  CreateTokenOptions,
  CreateUserOptions,
  Delivery,
  GitHubApp,
  Grant,
  Installation,
  OAuthClient,
  Repository,
  Token,
  TokenKind,
  User,
} from "./state.js";
export type { Fault, FaultKind } from "./faults.js";
export type { WebhookTarget } from "./deliver.js";
export { JWT_MESSAGES } from "./auth.js";
export { seedDemo, type DemoData } from "./seed.js";
