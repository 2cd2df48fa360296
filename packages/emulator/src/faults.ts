// Faults a test asks for, as data: which operation (or any), what goes wrong, how many times.
import type { Reply } from "./context.js";

export type FaultKind =
  /** Waits `ms` before answering normally. */
  | { kind: "latency"; ms: number }
  /** Answers `status` (5xx, 429, …) with GHES's error body; `retryAfter` seconds adds `Retry-After`. */
  | { kind: "status"; status: number; retryAfter?: number; message?: string }
  /** The primary rate limit: 403 with `X-RateLimit-Remaining: 0` and the reset time. */
  | { kind: "rate-limit" }
  /** The secondary rate limit: 403 with `Retry-After` (default 60 s). */
  | { kind: "secondary-rate-limit"; retryAfter?: number }
  /** Closes the connection without an answer. */
  | { kind: "drop" }
  /** 200 with a body that is not JSON. */
  | { kind: "malformed" }
  /** 200 whose body stops halfway through (Content-Length says more). */
  | { kind: "truncated" };

export type Fault = FaultKind & {
  /** The operation it applies to (`apps/check-token`); omitted: every operation. */
  operationId?: string;
  /** How many matching calls it affects; default 1, `Infinity` for all. */
  times?: number;
};

export type FaultAction =
  | { kind: "reply"; reply: Reply }
  | { kind: "drop" }
  | { kind: "malformed" }
  | { kind: "truncated" };

export class FaultPlan {
  readonly #faults: { fault: Fault; left: number }[] = [];

  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times > 0)) throw new Error("@ghes-sdk/emulator: a fault's times must be a positive number");
    if (fault.kind === "latency" && !(fault.ms >= 0)) throw new Error("@ghes-sdk/emulator: a latency fault needs ms >= 0");
    this.#faults.push({ fault, left: times });
  }

  clear(): void {
    this.#faults.length = 0;
  }

  /** Consumes the faults that apply to one call: the total latency, then at most one failure. */
  take(operationId: string, nowMs: number): { latencyMs: number; action: FaultAction | undefined } {
    let latencyMs = 0;
    let action: FaultAction | undefined;
    for (const entry of this.#faults) {
      if (entry.left <= 0 || (entry.fault.operationId !== undefined && entry.fault.operationId !== operationId)) continue;
      const f = entry.fault;
      if (f.kind === "latency") {
        entry.left--;
        latencyMs += f.ms;
        continue;
      }
      if (action) continue;
      entry.left--;
      action = toAction(f, nowMs);
    }
    return { latencyMs, action };
  }
}

/** A fault that answers for the server: a status with GitHub's error body and the given headers. */
const reply = (status: number, message: string, headers: Record<string, string>): FaultAction => ({
  kind: "reply",
  reply: { status, body: { message }, headers },
});

function toAction(f: FaultKind, nowMs: number): FaultAction {
  switch (f.kind) {
    case "status":
      return reply(
        f.status,
        f.message ?? (f.status >= 500 ? "Server Error" : "Too Many Requests"),
        f.retryAfter === undefined ? {} : { "Retry-After": String(f.retryAfter) },
      );
    case "rate-limit":
      return reply(403, "API rate limit exceeded.", { "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(Math.ceil(nowMs / 1000) + 60) });
    case "secondary-rate-limit":
      return reply(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", {
        "Retry-After": String(f.retryAfter ?? 60),
      });
    default:
      return { kind: f.kind as "drop" | "malformed" | "truncated" };
  }
}
