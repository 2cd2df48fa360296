import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = (name) => fileURLToPath(new URL(name, import.meta.url));

/** Starts the loopback server; resolves to { origin, stats(), reset(), stop() }. */
export function startServer() {
  const child = spawn(process.execPath, [here("server.mjs")], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (chunk) => {
      const origin = `http://127.0.0.1:${String(chunk).trim()}`;
      resolve({
        origin,
        stats: async () => (await fetch(`${origin}/__stats`)).json(),
        reset: async () => (await fetch(`${origin}/__reset`)).json(),
        stop: () => new Promise((done) => { child.once("exit", done); child.kill("SIGTERM"); }),
      });
    });
  });
}

/** Runs a section script in its own process; resolves to the JSON it prints. */
export function runSection(name, args = []) {
  const child = spawn(process.execPath, ["--expose-gc", here(name), ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c) => (out += c));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`bench: ${name} exited with ${code}`));
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`bench: ${name} printed no JSON: ${out.slice(0, 200)}`));
      }
    });
  });
}
