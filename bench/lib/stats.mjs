// Small statistics shared by the sections: medians, ranges, interleaved rounds.
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const range = (xs) => [Math.min(...xs), Math.max(...xs)];

/**
 * Runs every contender's batch once per round, in an order rotated each round, so drift in a shared machine
 * hits all of them alike. `batch(contender)` returns nanoseconds per operation for one batch.
 * Returns { name → [ns/op per round] } and per-round ratios to `baseline`.
 */
export async function interleave(names, rounds, batch, baseline) {
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const name of order) samples[name].push(await batch(name));
  }
  return { samples, ratios: ratiosTo(samples, baseline) };
}

/**
 * Like `interleave`, but the contenders take turns call by call within a round (order rotated each call),
 * so a slow moment on a shared machine lands on all of them alike, not on one contender's whole batch.
 * For calls long enough that reading the clock twice per call is noise (a loopback round trip).
 * Returns { name → [mean ns per call, per round] } and per-round ratios to `baseline`.
 */
export async function interleaveCalls(names, rounds, callsPerRound, call) {
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const total = Object.fromEntries(names.map((n) => [n, 0]));
    for (let i = 0; i < callsPerRound; i++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(k + i + r) % names.length];
        const t0 = process.hrtime.bigint();
        await call(name);
        total[name] += Number(process.hrtime.bigint() - t0);
      }
    }
    for (const n of names) samples[n].push(total[n] / callsPerRound);
  }
  return samples;
}

/** Per-round ratios of every contender to `baseline`. */
export const ratiosTo = (samples, baseline) =>
  Object.fromEntries(Object.keys(samples).map((n) => [n, samples[n].map((v, i) => v / samples[baseline][i])]));

export const fmtNs = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
export const fmtRatio = (r) => `${r.toFixed(2)}×`;
