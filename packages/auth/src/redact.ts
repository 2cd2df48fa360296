/** What a secret is shown as, wherever this package describes itself or an error: core's marker. */
export { REDACTED } from "@ghes-sdk/core";

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

/** Standard base64 of the UTF-8 bytes, without Buffer (so this file also runs in a browser). */
export function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Drops a response's body unread, so its connection can be reused. */
export function discard(response: Response): Promise<void> | undefined {
  return response.body?.cancel().catch(() => undefined);
}

/** How much of an error body is read at all: a huge (or endless) body is cut off here, not buffered. */
export const ERROR_BODY_MAX_BYTES = 1024 * 1024;

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
