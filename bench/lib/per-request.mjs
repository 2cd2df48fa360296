// (a) Per-request overhead with an in-process stub fetch. Every contender runs on its default path, the
// global fetch, which this child process replaces with a stub answering at once: what is left is the
// client's own cost. One extra row gives the era client a fetch in options (which receives a real Request).
import { contenders, describeRequest, RESPONSE_BODY } from "./contenders.mjs";
import { interleave } from "./stats.mjs";

const quick = process.argv.includes("--quick");
const BASE = "https://ghes.example.com/api/v3";
const headers = { "content-type": "application/json", "content-length": String(RESPONSE_BODY.length) };
// Builds a Request from what it is given, as undici's fetch does first, so every contender pays for that
// whether it hands fetch a Request or (url, init); then answers at once.
const stub = async (input, init) => (new Request(input, init), new Response(RESPONSE_BODY, { status: 200, headers }));
const seen = [];
const recording = async (input, init) => {
  seen.push(await describeRequest(input instanceof Request ? input.clone() : input, init));
  return stub(input, init);
};

globalThis.fetch = recording;
const all = contenders(BASE);
const withFetchOption = contenders(BASE, { fetch: (input, init) => globalThis.fetch(input, init) })["ghes-3.x + oauthAppAuth"];
all["ghes-3.x + oauthAppAuth, options.fetch"] = withFetchOption;
const names = Object.keys(all);

// Same request check: every contender's request, as the stub saw it, must match raw fetch's.
const sameRequest = {};
for (const name of names) {
  seen.length = 0;
  const data = await all[name]();
  if (data?.user?.login !== "octocat") throw new Error(`${name}: did not parse the response`);
  sameRequest[name] = seen[0];
}
for (const name of names) {
  if (name.startsWith("ghes-2.2x")) continue; // 2.2x has this operation too; checked below with the same URL
  if (sameRequest[name] !== sameRequest["raw fetch"]) {
    throw new Error(`${name} sends a different request:\n  ${sameRequest[name]}\n  vs raw fetch\n  ${sameRequest["raw fetch"]}`);
  }
}
if (sameRequest["ghes-2.2x + oauthAppAuth"] !== sameRequest["raw fetch"]) throw new Error("ghes-2.2x sends a different request");

globalThis.fetch = stub;
const perBatch = quick ? 20 : 1000;
const rounds = quick ? 2 : 21;
for (const name of names) for (let i = 0; i < (quick ? 5 : 1000); i++) await all[name](); // warm-up (JIT)
const { samples, ratios } = await interleave(names, rounds, async (name) => {
  const fn = all[name];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < perBatch; i++) await fn();
  return Number(process.hrtime.bigint() - t0) / perBatch;
}, "raw fetch");
process.stdout.write(JSON.stringify({ samples, ratios, request: sameRequest["raw fetch"], perBatch, rounds }));
