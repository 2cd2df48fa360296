/** What a secret is shown as, wherever this package describes itself or an error. */
export const REDACTED = "[REDACTED]";

// Node looks this symbol up in the global registry, so using Symbol.for keeps node:util out of the
// runtime imports (and the strategies usable where node:util does not exist).
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Gives a strategy (or a middleware it returns) a safe self-description for String(), JSON.stringify()
 * and util.inspect(). The secrets themselves live in closures, so even an inspect with showHidden finds
 * nothing; this only makes the output useful ("appAuth { appId: 1, privateKey: '[REDACTED]' }") instead of
 * a list of functions. `fields` must already hold REDACTED in place of every secret.
 */
export function describeAs(target: object, name: string, fields: Record<string, unknown>): void {
  const snapshot = Object.freeze({ ...fields });
  Object.defineProperties(target, {
    toJSON: { value: () => ({ strategy: name, ...snapshot }) },
    toString: { value: () => `${name} ${JSON.stringify(snapshot)}` },
    [INSPECT]: {
      value: (_depth: number, options: unknown, inspect?: (value: unknown, options: unknown) => string) =>
        `${name} ${inspect ? inspect(snapshot, options) : JSON.stringify(snapshot)}`,
    },
  });
}

/** base64 of a string's UTF-8 bytes, with btoa rather than Buffer so this runs in browsers and workers too. */
export function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Replaces every occurrence of a known secret (and its base64 form, as found in a Basic header) in text
 * that came from elsewhere, e.g. an error message a server echoed back. Secrets shorter than 4 characters
 * are not replaced, because replacing "1" everywhere would garble the message and protects nothing.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    const encoded = base64Utf8(secret);
    out = out.split(encoded).join(REDACTED);
  }
  return out;
}
