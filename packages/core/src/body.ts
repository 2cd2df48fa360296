import { GhesSdkError } from "./errors.js";

/**
 * 10 MiB. The largest bodies these APIs send are lists of 100 installations or repositories (a few
 * hundred KiB); a body far larger is a misbehaving proxy or server, and reading it whole would cost the
 * process several times its size in memory.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** Why a body could not be read: it was over the limit, or the connection broke while it arrived. */
export class BodyFailure {
  constructor(
    readonly kind: "too-large" | "broken",
    readonly cause?: unknown,
  ) {}
}

export function checkMaxResponseBytes(packageName: string, value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_RESPONSE_BYTES;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new GhesSdkError(packageName, "options.maxResponseBytes must be a whole number of bytes above 0");
  }
  return value;
}

/**
 * Reads a body up to `limit` bytes. With `truncate`, a longer body is cut at the limit (`truncated` says
 * so) — for error bodies, whose start is all a message needs; without it, a longer body is a
 * BodyFailure("too-large") and the rest is never read. A connection that breaks mid-body is a
 * BodyFailure("broken").
 */
export async function readBody(response: Response, limit: number, truncate = false): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const body = response.body;
  const declared = Number(response.headers.get("content-length"));
  if (!body) {
    // A Response-like object a custom fetch made, with no stream but arrayBuffer(): read it whole, then check.
    if (body === undefined && typeof response.arrayBuffer === "function") {
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.byteLength > limit && !truncate) throw new BodyFailure("too-large");
      return { bytes: bytes.subarray(0, limit), truncated: bytes.byteLength > limit };
    }
    return { bytes: new Uint8Array(0), truncated: false };
  }
  if (!truncate && declared > limit) {
    await body.cancel().catch(() => undefined);
    throw new BodyFailure("too-large");
  }
  // Read chunk by chunk even when the length is declared: on Node 20 a reader over a small body is
  // quicker than arrayBuffer() (and the limit is enforced the same way for every body).
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > limit) {
        await reader.cancel().catch(() => undefined);
        if (!truncate) throw new BodyFailure("too-large");
        chunks.push(value.subarray(0, limit - size));
        size = limit;
        return { bytes: concat(chunks, size), truncated: true };
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } catch (cause) {
    if (cause instanceof BodyFailure) throw cause;
    throw new BodyFailure("broken", cause);
  }
  return { bytes: concat(chunks, size), truncated: false };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

const decoder = new TextDecoder();
export const decode = (bytes: Uint8Array): string => decoder.decode(bytes);
