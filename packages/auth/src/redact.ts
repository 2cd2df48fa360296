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
    out = out.split(base64(secret)).join(REDACTED);
  }
  return out;
}

/** Standard base64 of the UTF-8 bytes, without Buffer (so this file also runs in a browser). */
export function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** How much of a server's text goes into an error message. */
export const SERVER_TEXT_MAX = 300;
/** How much of an error body is read at all: a huge (or endless) body is cut off here, not buffered. */
export const ERROR_BODY_MAX_BYTES = 64 * 1024;

/**
 * Server text made safe for an error message (issue 9, finding 5): known secrets redacted first — on the
 * whole text, so cutting cannot leave part of a secret behind — then ANSI escapes and control characters
 * removed, whitespace collapsed, and the result capped at SERVER_TEXT_MAX characters.
 */
export function serverText(text: string, secrets: ReadonlyArray<string | undefined>, max = SERVER_TEXT_MAX): string {
  const clean = redact(text, secrets)
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, "")
    .replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Reads at most `maxBytes` of a body as UTF-8 and cancels the rest; never throws (a broken body reads as ""). */
export async function readCapped(response: Response, maxBytes = ERROR_BODY_MAX_BYTES): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    /* reset mid-body: keep what arrived */
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(Math.min(size, maxBytes));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
    if (offset >= bytes.length) break;
  }
  return new TextDecoder().decode(bytes);
}
