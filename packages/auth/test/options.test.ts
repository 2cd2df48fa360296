import { createPrivateKey, createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { appAuth, appRouteAuth, basicAuth, GhesAuthError, installationAuth, oauthAppAuth, tokenAuth } from "../src/index.js";
import { EC_KEY, PKCS1_KEY, PKCS8_KEY } from "./helpers/fixtures.js";

const key = PKCS1_KEY;
const app = { appId: 1, privateKey: key };
const encryptedPkcs8 = createPrivateKey(PKCS8_KEY).export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pw" }) as string;
const encryptedPkcs1 = createPrivateKey(PKCS1_KEY).export({ type: "pkcs1", format: "pem", cipher: "aes-256-cbc", passphrase: "pw" }) as string;
const publicPem = createPublicKey(PKCS1_KEY).export({ type: "spki", format: "pem" }) as string;
const garbledPem = PKCS1_KEY.replace(/\n[A-Za-z0-9+/]{10}/, "\n!!!!!!!!!!");

/** [label, construct, the option the error must name] */
const cases: Array<[string, () => unknown, string]> = [
  ["appAuth: missing appId", () => appAuth({ privateKey: key } as never), "appId"],
  ["appAuth: appId 0", () => appAuth({ appId: 0, privateKey: key }), "appId"],
  ["appAuth: appId 1.5", () => appAuth({ appId: 1.5, privateKey: key }), "appId"],
  ["appAuth: appId 'abc'", () => appAuth({ appId: "abc", privateKey: key }), "appId"],
  ["appAuth: missing privateKey", () => appAuth({ appId: 1 } as never), "privateKey"],
  ["appAuth: empty privateKey", () => appAuth({ appId: 1, privateKey: "" }), "privateKey"],
  ["appAuth: privateKey not a PEM", () => appAuth({ appId: 1, privateKey: "not a key" }), "privateKey"],
  ["appAuth: public key PEM", () => appAuth({ appId: 1, privateKey: publicPem }), "privateKey"],
  ["appAuth: public KeyObject", () => appAuth({ appId: 1, privateKey: createPublicKey(PKCS1_KEY) }), "privateKey"],
  ["appAuth: EC key", () => appAuth({ appId: 1, privateKey: EC_KEY }), "privateKey"],
  ["appAuth: encrypted PKCS#8", () => appAuth({ appId: 1, privateKey: encryptedPkcs8 }), "privateKey"],
  ["appAuth: encrypted PKCS#1", () => appAuth({ appId: 1, privateKey: encryptedPkcs1 }), "privateKey"],
  ["appAuth: corrupted PEM body", () => appAuth({ appId: 1, privateKey: garbledPem }), "privateKey"],
  ["appAuth: unknown option", () => appAuth({ ...app, installationID: 3 } as never), "installationID"],
  ["appAuth: options not an object", () => appAuth(null as never), "options"],
  ["installationAuth: missing installationId", () => installationAuth({ ...app } as never), "installationId"],
  ["installationAuth: installationId -1", () => installationAuth({ ...app, installationId: -1 }), "installationId"],
  ["installationAuth: installationId 2.5", () => installationAuth({ ...app, installationId: 2.5 }), "installationId"],
  ["installationAuth: installationId '12a'", () => installationAuth({ ...app, installationId: "12a" }), "installationId"],
  ["installationAuth: repositories empty", () => installationAuth({ ...app, installationId: 1, repositories: [] }), "repositories"],
  ["installationAuth: repositories with ''", () => installationAuth({ ...app, installationId: 1, repositories: [""] }), "repositories"],
  ["installationAuth: repositoryIds with 'x'", () => installationAuth({ ...app, installationId: 1, repositoryIds: ["x" as never] }), "repositoryIds"],
  ["installationAuth: permissions array", () => installationAuth({ ...app, installationId: 1, permissions: [] as never }), "permissions"],
  ["installationAuth: permissions level number", () => installationAuth({ ...app, installationId: 1, permissions: { issues: 1 as never } }), "permissions"],
  ["installationAuth: cacheSize 0", () => installationAuth({ ...app, installationId: 1, cacheSize: 0 }), "cacheSize"],
  ["installationAuth: era without headersFor", () => installationAuth({ ...app, installationId: 1, era: { name: "ghes-3.x" } as never }), "era"],
  ["appRouteAuth: clientId without clientSecret", () => appRouteAuth({ ...app, clientId: "Iv1.x" }), "clientSecret"],
  ["appRouteAuth: clientSecret without clientId", () => appRouteAuth({ ...app, clientSecret: "s" }), "clientId"],
  ["appRouteAuth: empty clientSecret", () => appRouteAuth({ ...app, clientId: "Iv1.x", clientSecret: "" }), "clientSecret"],
  ["appRouteAuth: scope without installationId", () => appRouteAuth({ ...app, permissions: { issues: "read" } }), "installationId"],
  ["appRouteAuth: installationId 0", () => appRouteAuth({ ...app, installationId: 0 }), "installationId"],
  ["oauthAppAuth: empty clientSecret", () => oauthAppAuth({ clientId: "Iv1.x", clientSecret: "" }), "clientSecret"],
  ["oauthAppAuth: missing clientId", () => oauthAppAuth({ clientSecret: "s" } as never), "clientId"],
  ["oauthAppAuth: clientId with ':'", () => oauthAppAuth({ clientId: "a:b", clientSecret: "s" }), "clientId"],
  ["tokenAuth: empty token", () => tokenAuth(""), "token"],
  ["tokenAuth: token with a newline", () => tokenAuth("ghp_abc\r\nX-Injected: 1"), "token"],
  ["tokenAuth: token with a space", () => tokenAuth("token ghp_abc"), "token"],
  ["tokenAuth: unknown scheme", () => tokenAuth("ghp_abc", { scheme: "basic" as never }), "scheme"],
  ["basicAuth: empty password", () => basicAuth({ username: "u", password: "" }), "password"],
  ["basicAuth: username with ':'", () => basicAuth({ username: "u:v", password: "p" }), "username"],
  ["basicAuth: password with a control character", () => basicAuth({ username: "u", password: "p\u0000" }), "password"],
  ["basicAuth: otp with a space", () => basicAuth({ username: "u", password: "p", otp: "123 456" }), "otp"],
  ["basicAuth: on2fa not a function", () => basicAuth({ username: "u", password: "p", on2fa: "123456" as never }), "on2fa"],
];

describe("bad options fail at construction, naming the option", () => {
  it.each(cases)("%s", (_label, construct, option) => {
    let thrown: unknown;
    try {
      construct();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GhesAuthError);
    expect(thrown).toMatchObject({ code: "INVALID_OPTION", option });
    expect((thrown as Error).message).toMatch(new RegExp(`^@ghes-sdk/auth: \\w+: option \`${option}\` `));
  });
});

describe("a bad value is described by its kind, never echoed", () => {
  it.each([
    [null, "null"],
    [undefined, "undefined"],
    [Number.NaN, "NaN"],
    [[], "an array"],
    ["", "an empty string"],
    [{}, "an object"],
    [7, "a number"],
    [{ length: 0 }, "an object"],
    [true, "a boolean"],
    [() => "x", "a function"],
    [10n, "a bigint"],
  ])("%s is %s", (value, kind) => {
    expect(() => tokenAuth(value as never)).toThrow(`tokenAuth: option \`token\` must be a non-empty string, got ${kind}`);
  });
});

describe("good options construct", () => {
  it.each([
    ["PKCS#1 PEM", () => appAuth({ appId: 1, privateKey: PKCS1_KEY })],
    ["PKCS#8 PEM", () => appAuth({ appId: 1, privateKey: PKCS8_KEY })],
    ["RSA KeyObject", () => appAuth({ appId: 1, privateKey: createPrivateKey(PKCS1_KEY) })],
    ["string ids", () => installationAuth({ appId: "1", privateKey: PKCS1_KEY, installationId: "99" })],
    ["appRouteAuth with JWT only", () => appRouteAuth({ appId: 1, privateKey: PKCS1_KEY })],
    ["basicAuth with otp", () => basicAuth({ username: "u", password: "p:q", otp: "123456" })],
  ])("%s", (_label, construct) => {
    expect(construct().strategy).toMatch(/Auth$/);
  });

  it("forEra rejects something that is not an era, naming it", () => {
    expect(() => tokenAuth("ghp_x").forEra({} as never)).toThrow(/option `era` must be an era/);
  });
});
