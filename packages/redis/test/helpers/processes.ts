import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface WorkerConfig {
  baseUrl: string;
  appId: number;
  installations: number[];
  requests: number;
  redisUrl?: string;
  lease?: number;
  /** redisCache's timeout per command. */
  timeout?: number;
  /** Requests this many at a time, the installations in turn (see worker.mjs). */
  batch?: number;
  /** In batch mode: say "paused" after this many requests and wait for another go(). */
  pauseAt?: number;
}

export interface WorkerResult {
  statuses: Record<string, number>;
  ms: number;
  warnings: string[];
}

export interface Worker {
  readonly child: ChildProcess;
  /** Resolves when the worker prints `line` (ready, minting). */
  said(line: string): Promise<void>;
  go(): void;
  readonly result: Promise<WorkerResult>;
}

const script = fileURLToPath(new URL("./worker.mjs", import.meta.url));

/** Starts one App process (worker.mjs) with the App's key in its environment, not its arguments. */
export function startWorker(config: WorkerConfig, privateKey: string, holdMint = false): Worker {
  const child = spawn(process.execPath, [script, JSON.stringify(config)], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, APP_PRIVATE_KEY: privateKey, HOLD_MINT: holdMint ? "1" : "0" },
  });
  const seen = new Set<string>();
  const waiters = new Map<string, () => void>();
  let json: WorkerResult | undefined;
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (line.startsWith("{")) json = JSON.parse(line) as WorkerResult;
    seen.add(line);
    waiters.get(line)?.();
  });
  const result = new Promise<WorkerResult>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => (json && code === 0 ? resolve(json) : reject(new Error(`worker exited with ${code}`))));
  });
  result.catch(() => undefined); // a killed worker's result is not awaited
  return {
    child,
    said: (line) => (seen.has(line) ? Promise.resolve() : new Promise((resolve) => waiters.set(line, resolve))),
    go: () => child.stdin!.write("go\n"),
    result,
  };
}

/**
 * Starts `n` workers, waits until all are ready, then lets them go at once; resolves to their results.
 * With `config.pauseAt`, `whenPaused` runs once every worker has paused there, and then they go on.
 */
export async function runTogether(
  n: number,
  config: WorkerConfig,
  privateKey: string,
  whenStarted?: () => Promise<void>,
  whenPaused?: () => Promise<void>,
): Promise<WorkerResult[]> {
  const workers = Array.from({ length: n }, () => startWorker(config, privateKey));
  await Promise.all(workers.map((w) => w.said("ready")));
  for (const w of workers) w.go();
  await whenStarted?.();
  if (config.pauseAt !== undefined) {
    await Promise.all(workers.map((w) => w.said("paused")));
    await whenPaused?.();
    for (const w of workers) w.go();
  }
  return Promise.all(workers.map((w) => w.result));
}
