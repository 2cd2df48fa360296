// Prism (@stoplight/prism-cli) as a validating proxy in front of an emulator, started from an era's bundled
// spec on 127.0.0.1. Every violation Prism finds in a request or response comes back in `sl-violations`.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PrismProxy {
  /** Where to send requests: the spec's paths directly under it (Prism forwards to the upstream base URL). */
  baseUrl: string;
  close(): Promise<void>;
}

export async function startPrismProxy(specFile: string, upstream: string, timeoutMs = 90_000): Promise<PrismProxy> {
  const pkg = require.resolve("@stoplight/prism-cli/package.json");
  const bin = join(dirname(pkg), (require(pkg) as { bin: Record<string, string> }).bin["prism"]!);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [bin, "proxy", specFile, upstream, "--host", "127.0.0.1", "--port", String(port), "--errors=false"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start in ${timeoutMs} ms:\n${output.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
  await listening;
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
