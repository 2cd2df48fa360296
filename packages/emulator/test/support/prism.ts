// Prism (@stoplight/prism-cli) as a validating proxy in front of an emulator, started from an era's bundled
// spec on 127.0.0.1. Every violation Prism finds in a request or response comes back in `sl-violations`.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
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

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
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
  const child: ChildProcess = spawn(process.execPath, [bin, "proxy", specFile, upstream, "--host", "127.0.0.1", "--port", String(port), "--errors=false", "--verboseLevel", "error"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Only errors are logged (logging every request slows Prism down); readiness is polled on the port.
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Prism exited with ${child.exitCode}:\n${output.slice(-2000)}`);
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`Prism did not start in ${timeoutMs} ms:\n${output.slice(-2000)}`);
    }
    // A bare TCP connect: a fetch here would leave a pooled keep-alive socket that Prism later closes.
    if (await accepts(port)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
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
