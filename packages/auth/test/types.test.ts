import type { Middleware } from "openapi-fetch";
import createClient from "openapi-fetch";
import type { LoosePaths } from "./helpers/paths.js";
import { describe, expectTypeOf, it } from "vitest";
import {
  appAuth,
  appRouteAuth,
  basicAuth,
  installationAuth,
  oauthAppAuth,
  tokenAuth,
  type AuthMiddleware,
  type AuthStrategy,
  type Era,
  type InstallationAuthStrategy,
} from "../src/index.js";
import { PKCS1_KEY } from "./helpers/fixtures.js";

// These run under `tsc --noEmit` (npm test's first step): an unused @ts-expect-error fails the build.
describe("types", () => {
  it("every strategy and every forEra result is an openapi-fetch Middleware", () => {
    expectTypeOf<AuthStrategy>().toMatchTypeOf<Middleware>();
    expectTypeOf<AuthMiddleware>().toMatchTypeOf<Middleware>();
    expectTypeOf(tokenAuth("t").forEra).returns.toMatchTypeOf<Middleware>();
    expectTypeOf(installationAuth).returns.toEqualTypeOf<InstallationAuthStrategy>();
    expectTypeOf(appRouteAuth).returns.toEqualTypeOf<InstallationAuthStrategy>();
    expectTypeOf<InstallationAuthStrategy["revoke"]>().returns.resolves.toBeNumber();
    const client = createClient<LoosePaths>({ baseUrl: "http://127.0.0.1" });
    client.use(appAuth({ appId: 1, privateKey: PKCS1_KEY }));
  });

  it("an era is structural: any object with name and headersFor fits", () => {
    const era = { name: "ghes-2.2x" as const, headersFor: (_m: string, _p: string) => ({ Accept: "x" }) };
    expectTypeOf(era).toMatchTypeOf<Era>();
    // @ts-expect-error an unknown era name
    const bad: Era = { name: "ghes-1.0", headersFor: () => ({}) };
    void bad;
  });

  it("required options are required at compile time", () => {
    const check = () => {
      // @ts-expect-error appId is missing
      appAuth({ privateKey: PKCS1_KEY });
      // @ts-expect-error installationId is missing
      installationAuth({ appId: 1, privateKey: PKCS1_KEY });
      // @ts-expect-error clientSecret is missing
      oauthAppAuth({ clientId: "x" });
      // @ts-expect-error password is missing
      basicAuth({ username: "u" });
      // @ts-expect-error scheme must be token or bearer
      tokenAuth("t", { scheme: "basic" });
      // @ts-expect-error permissions map names to levels
      installationAuth({ appId: 1, privateKey: PKCS1_KEY, installationId: 1, permissions: { issues: 1 } });
      // @ts-expect-error on2fa resolves to the code
      basicAuth({ username: "u", password: "p", on2fa: async () => 123456 });
    };
    expectTypeOf(check).toBeFunction();
  });

  it("on2fa gets the kind and a signal; allowInsecureHttp is a boolean on every strategy", () => {
    const check = () => {
      basicAuth({ username: "u", password: "p", on2fa: (kind, { signal }) => (signal.aborted ? "" : kind) });
      basicAuth({ username: "u", password: "p", on2fa: async () => "123456" });
      tokenAuth("t", { allowInsecureHttp: true });
      oauthAppAuth({ clientId: "x", clientSecret: "y", allowInsecureHttp: false });
      // @ts-expect-error allowInsecureHttp is a boolean
      appAuth({ appId: 1, privateKey: PKCS1_KEY, allowInsecureHttp: "yes" });
      installationAuth({ appId: 1, privateKey: PKCS1_KEY, installationId: 1 }).revoke({ signal: AbortSignal.timeout(1000) });
    };
    expectTypeOf(check).toBeFunction();
  });
});
