/**
 * Run-time warnings through `process.emitWarning`, once per process and code. Where there is no
 * `process` (browsers, workers) they go to `console.warn` instead, once as well.
 */
const emitted = new Set<string>();

/** Emits `message` once per process for `code`; returns whether it was emitted now. */
export function warnOnce(type: string, code: string, message: string): boolean {
  if (emitted.has(code)) return false;
  emitted.add(code);
  const proc = (globalThis as { process?: { emitWarning?: (message: string, options: { type: string; code: string }) => void } }).process;
  if (typeof proc?.emitWarning === "function") proc.emitWarning(message, { type, code });
  else globalThis.console?.warn(`${type} [${code}]: ${message}`);
  return true;
}

/** `apps/check-authorization` → `GHESSDK_DEP_APPS_CHECK_AUTHORIZATION`: stable, and filterable by code. */
export const deprecationCode = (operationId: string): string => `GHESSDK_DEP_${operationId.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase()}`;

export interface DeprecatedOperation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly replacement?: string;
}

/** The first call of a deprecated operation in a process warns once (type `DeprecationWarning`). */
export function warnDeprecated(packageName: string, op: DeprecatedOperation): boolean {
  const instead = op.replacement ? `; use ${op.replacement} instead` : "";
  return warnOnce(
    "DeprecationWarning",
    deprecationCode(op.operationId),
    `${packageName}: ${op.operationId} (${op.method.toUpperCase()} ${op.path}) is deprecated${instead}`,
  );
}
