// Runs (e) for each contender, alternating, each in its own process against one loopback server.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startServer } from "./spawn.mjs";

const quick = process.argv.includes("--quick");
const [n, k, rounds] = quick ? [200, 5, 1] : [10000, 100, 5];
const script = fileURLToPath(new URL("installations.mjs", import.meta.url));
const once = (contender, origin) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, contender, origin, String(n), String(k)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${contender} exited ${code}`))));
  });

const server = await startServer();
const contenders = ["ours", "octokit", "ours, unlimited"];
const results = Object.fromEntries(contenders.map((c) => [c, []]));
try {
  for (let r = 0; r < rounds; r++) {
    // Order rotated each round.
    for (const contender of contenders.map((_, i) => contenders[(i + r) % contenders.length])) {
      await server.reset();
      results[contender].push(await once(contender, server.origin));
    }
  }
} finally {
  await server.stop();
}
process.stdout.write(JSON.stringify({ n, k, rounds, results }));
