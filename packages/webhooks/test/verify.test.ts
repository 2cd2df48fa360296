// The verification matrix: receiver profile (SHA-1 accepted as on 2.2x, or not) × signature headers sent ×
// tampered body × rotated secret. @octokit/webhooks-methods checks our SHA-256 signatures independently.
import { sign as octokitSign, verify as octokitVerify } from "@octokit/webhooks-methods";
import { describe, expect, it } from "vitest";
import { createWebhooks, GhesWebhookError, sign, verify } from "@ghes-sdk/webhooks";

const SECRET = "It's a Secret to Everybody";
const OLD_SECRET = "the secret before the rotation";
const body = JSON.stringify({ action: "created", installation: { id: 1 } }, null, 2);
const tampered = body.replace('"id": 1', '"id": 2');

type Sent = "sha1" | "sha256" | "both" | "none" | "good sha1, bad sha256";
const headersFor = (sent: Sent, signedBody: string, secret: string): Record<string, string> => {
  const h: Record<string, string> = { "x-github-event": "installation", "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958", "content-type": "application/json" };
  if (sent === "sha1" || sent === "both" || sent === "good sha1, bad sha256") h["x-hub-signature"] = sign(secret, signedBody, "sha1");
  if (sent === "sha256" || sent === "both") h["x-hub-signature-256"] = sign(secret, signedBody, "sha256");
  if (sent === "good sha1, bad sha256") h["x-hub-signature-256"] = sign("another secret", signedBody, "sha256");
  return h;
};

const profiles = [
  { name: "2.2x (acceptSha1)", acceptSha1: true },
  { name: "3.0+ (SHA-256 only)", acceptSha1: false },
] as const;
const sents: readonly Sent[] = ["sha1", "sha256", "both", "none", "good sha1, bad sha256"];

/** What must happen: the error code, or undefined for received. */
function expected(acceptSha1: boolean, sent: Sent, tamper: boolean, secretKnown: boolean): string | undefined {
  if (sent === "none") return "SIGNATURE_MISSING";
  if (sent === "good sha1, bad sha256") return "SIGNATURE_MISMATCH";
  if (sent === "sha1" && !acceptSha1) return "SHA1_NOT_ACCEPTED";
  if (tamper || !secretKnown) return "SIGNATURE_MISMATCH";
  return undefined;
}

describe("verifyAndReceive: era × signature headers × tampered body × rotated secret", () => {
  const rows = profiles.flatMap((profile) =>
    sents.flatMap((sent) =>
      [false, true].flatMap((tamper) =>
        (["current", "old (rotation)", "unknown"] as const).map((signer) => ({ profile, sent, tamper, signer })),
      ),
    ),
  );
  it.each(rows)("$profile.name, sent $sent, tampered $tamper, signed with the $signer secret", async ({ profile, sent, tamper, signer }) => {
    const signingSecret = signer === "current" ? SECRET : signer === "old (rotation)" ? OLD_SECRET : "not configured";
    const webhooks = createWebhooks({ secret: [SECRET, OLD_SECRET], acceptSha1: profile.acceptSha1 });
    const seen: unknown[] = [];
    webhooks.on("installation.created", ({ payload }) => void seen.push(payload));
    const outcome = webhooks.verifyAndReceive({ headers: headersFor(sent, body, signingSecret), body: tamper ? tampered : body });
    const code = expected(profile.acceptSha1, sent, tamper, signer !== "unknown");
    if (code === undefined) {
      await outcome;
      expect(seen).toEqual([JSON.parse(body)]);
    } else {
      await expect(outcome).rejects.toMatchObject({ name: "GhesWebhookError", code });
      expect(seen).toEqual([]); // nothing of an unverified payload reaches a handler
    }
  });

  it("a single secret (no rotation) refuses the old one", async () => {
    const webhooks = createWebhooks({ secret: SECRET });
    await expect(webhooks.verifyAndReceive({ headers: headersFor("both", body, OLD_SECRET), body })).rejects.toMatchObject({ code: "SIGNATURE_MISMATCH" });
  });
});

describe("sign and verify", () => {
  it("our SHA-256 signature is the one @octokit/webhooks-methods computes and accepts", async () => {
    for (const payload of [body, "ünïcödé ✓ payload", "{}"]) {
      const ours = sign(SECRET, payload);
      expect(ours).toBe(await octokitSign(SECRET, payload));
      expect(await octokitVerify(SECRET, payload, ours)).toBe(true);
      expect(await octokitVerify(SECRET, payload + " ", ours)).toBe(false);
    }
  });

  it("works on the raw bytes: a string and its UTF-8 bytes sign alike, a re-serialized body does not verify", () => {
    const raw = '{"login":"octocat",  "emoji":"✓"}';
    expect(sign(SECRET, new TextEncoder().encode(raw))).toBe(sign(SECRET, raw));
    const headers = { "x-hub-signature-256": sign(SECRET, raw) };
    expect(verify({ headers, body: raw }, { secret: SECRET })).toBe("sha256");
    expect(() => verify({ headers, body: JSON.stringify(JSON.parse(raw)) }, { secret: SECRET })).toThrow(/does not match/);
  });

  it("refuses a parsed body with the fix in the message", () => {
    const parsed = JSON.parse(body) as unknown as string;
    expect(() => verify({ headers: { "x-hub-signature-256": sign(SECRET, body) }, body: parsed }, { secret: SECRET })).toThrow(/raw request body/);
  });

  it("reads a Headers object and any header case", () => {
    const headers = new Headers({ "X-Hub-Signature-256": sign(SECRET, body) });
    expect(verify({ headers, body }, { secret: SECRET })).toBe("sha256");
    expect(verify({ headers: { "X-HUB-SIGNATURE-256": sign(SECRET, body) }, body }, { secret: SECRET })).toBe("sha256");
  });

  it.each([
    ["sha256=", "a truncated signature"],
    [sign(SECRET, body).toUpperCase(), "upper-case hex and name"],
    [sign(SECRET, body) + "00", "a longer signature"],
    ["sha1=" + sign(SECRET, body).slice(7), "the wrong algorithm name"],
  ])("refuses %s (%s)", (value) => {
    expect(() => verify({ headers: { "x-hub-signature-256": value }, body }, { secret: SECRET })).toThrow(GhesWebhookError);
  });

  it("never puts a secret or an expected signature into an error", async () => {
    const webhooks = createWebhooks({ secret: [SECRET, OLD_SECRET] });
    const failures: unknown[] = [];
    for (const sent of sents) {
      await webhooks.verifyAndReceive({ headers: headersFor(sent, body, "wrong"), body }).catch((e: unknown) => failures.push(e));
    }
    expect(failures).toHaveLength(sents.length);
    const { inspect } = await import("node:util");
    for (const e of failures) {
      const text = inspect(e, { depth: 5 }) + String(e);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(OLD_SECRET);
      expect(text).not.toContain(sign(SECRET, body).slice(7));
      expect(text).not.toContain(sign(SECRET, body, "sha1").slice(5));
    }
  });

  it("after the signature holds: a missing X-GitHub-Event / X-GitHub-Delivery or a body that is not JSON is refused", async () => {
    const webhooks = createWebhooks({ secret: SECRET });
    const signed = (raw: string) => ({ "x-hub-signature-256": sign(SECRET, raw) });
    await expect(webhooks.verifyAndReceive({ headers: signed(body), body })).rejects.toMatchObject({ code: "HEADER_MISSING", message: expect.stringMatching(/X-GitHub-Delivery and X-GitHub-Event/) });
    await expect(webhooks.verifyAndReceive({ headers: { ...signed("<html>"), "x-github-event": "ping", "x-github-delivery": "d" }, body: "<html>" })).rejects.toMatchObject({ code: "INVALID_PAYLOAD", status: 400 });
  });

  it("keeps the secrets out of the receiver's inspect output and JSON", async () => {
    const { inspect } = await import("node:util");
    const webhooks = createWebhooks({ secret: [SECRET, OLD_SECRET] });
    const shown = inspect(webhooks, { depth: 10, showHidden: true }) + JSON.stringify(webhooks);
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(OLD_SECRET);
  });

  it.each([
    [{ secret: "" }, /secret must be a non-empty string/],
    [{ secret: [] }, /secret is an empty array/],
    [{ secret: [SECRET, 42] }, /secret\[1\] must be a non-empty string/],
    [{}, /secret must be a non-empty string/],
  ])("createWebhooks(%o) fails naming the problem", (options, message) => {
    expect(() => createWebhooks(options as never)).toThrow(message);
  });
});
