// (b) Loopback HTTP: the same token check against a node:http server on 127.0.0.1 (another process),
// sequential and with 32 in flight, every contender on the real global fetch (or Octokit's default).
import { contenders } from "./contenders.mjs";
import { startServer } from "./spawn.mjs";
import { interleave, interleaveCalls, ratiosTo } from "./stats.mjs";

const quick = process.argv.includes("--quick");
const server = await startServer();
try {
  const all = contenders(`${server.origin}/api/v3`);
  const names = ["raw fetch", "raw fetch + AbortSignal.timeout", "openapi-fetch (bare)", "ghes-3.x + oauthAppAuth", "ghes-2022-11-28 + oauthAppAuth", "@octokit/core"];
  // Same request: what the server saw last, per contender.
  const seen = {};
  for (const name of names) {
    const data = await all[name]();
    if (data?.user?.login !== "octocat") throw new Error(`${name}: unexpected answer`);
    seen[name] = (await server.stats()).last;
  }
  for (const name of names) if (seen[name].replace(/^(\S+ \S+) basic /i, "$1 Basic ") !== seen["raw fetch"]) throw new Error(`${name} sends a different request: ${seen[name]}`);

  const n = quick ? 10 : 200;
  const rounds = quick ? 2 : 9;
  for (const name of names) for (let i = 0; i < (quick ? 5 : 200); i++) await all[name](); // warm-up, connections open
  // Sequential: one call at a time, the contenders taking turns call by call (a round trip here moves by
  // more than the clients differ, so whole batches per contender would compare moments, not clients).
  const seqSamples = await interleaveCalls(names, rounds, n, (name) => all[name]());
  const sequential = { samples: seqSamples, ratios: ratiosTo(seqSamples, "raw fetch") };
  // Concurrency 32: each contender's batch in turn; shorter batches, more rounds (the median then holds).
  const concRounds = quick ? 2 : 21;
  const total = quick ? 40 : 320;
  const concurrent = await interleave(names, concRounds, async (name) => {
    const fn = all[name];
    const t0 = process.hrtime.bigint();
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next++ < total) await fn();
    }));
    return Number(process.hrtime.bigint() - t0) / total;
  }, "raw fetch");
  process.stdout.write(JSON.stringify({ sequential, concurrent, n, rounds, concRounds, total }));
} finally {
  await server.stop();
}
