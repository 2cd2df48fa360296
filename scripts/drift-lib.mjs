// @ts-check
// The drift comparison: one era's bundled spec, operation by operation, against facts in the format of
// openapi/facts/<era>.json, with the era's listed deliberate differences. Shared by the drift test
// (packages/conformance/test/drift.test.ts: the spec against our facts) and `npm run ghes-watch` (the spec
// against facts read from GitHub's newer descriptions), so both report a difference the same way.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { specEntries } from "@ghes-sdk/core";
import yaml from "js-yaml";
import { repoRoot } from "./eras.mjs";
import { operationFacts } from "./facts-lib.mjs";

/**
 * @typedef {"parameters" | "statuses" | "properties" | "required" | "nullable" | "body"} Metric
 * @typedef {"operation" | "since" | "until" | "parameter" | "status" | "property" | "required" | "nullable" | "body"} Kind
 * @typedef {{ since: string, until?: string, from?: string, operationId: string, parameters: Record<string, string>,
 *   responses: Record<string, Record<string, string> | null>, body?: Record<string, string> }} Facts
 * @typedef {{ op: string, kind: Kind, item?: string, reason: string }} Difference
 *   `op` is "METHOD /path", or "*" for every operation (a schema difference shows in each operation using
 *   it); `item` is what differs ("query:since", "404", "200:account.login", "access_token"), `*` matching
 *   any characters.
 */

export const METRICS = /** @type {Metric[]} */ (["parameters", "statuses", "properties", "required", "nullable", "body"]);

export const factsDir = join(repoRoot, "openapi", "facts");

/** @param {string} era @returns {Record<string, Facts>} */
export const loadFacts = (era) => JSON.parse(readFileSync(join(factsDir, `${era}.json`), "utf8"));

/** @param {string} era @returns {Difference[]} */
export const loadDifferences = (era) => {
  const file = join(factsDir, `${era}.differences.yaml`);
  return existsSync(file) ? /** @type {Difference[] | null} */ (yaml.load(readFileSync(file, "utf8"))) ?? [] : [];
};

/**
 * Which side has an item: the spec only, GitHub's description only, or both with different flags.
 * @param {Record<string, unknown>} ours @param {Record<string, unknown>} theirs @param {string} key
 */
const side = (ours, theirs, key) =>
  !(key in theirs) ? "spec only" : !(key in ours) ? "GitHub only" : `spec "${ours[key]}", GitHub "${theirs[key]}"`;

// An item pattern: `*` stands for any run of characters ("*:owner.login": that property in every 2xx).
const glob = (/** @type {string} */ pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);

/** @param {any} spec @returns {Record<string, { path: string, op: any }>} */
export const operationsOf = (spec) =>
  Object.fromEntries(specEntries(spec).map(({ method, path, op }) => [`${method.toUpperCase()} ${path}`, { path, op }]));

/**
 * Compares one era; every item is one agreement or one difference. `unexplained` lists each difference no
 * listed one explains, as "METHOD /path: what differs".
 * @param {any} spec @param {Record<string, Facts>} facts @param {Difference[]} listed
 */
export function compare(spec, facts, listed) {
  const ops = operationsOf(spec);
  /** @param {string} op @param {Kind} kind */
  const isListed = (op, kind, item = "") =>
    listed.find((d) => (d.op === op || d.op === "*") && d.kind === kind && glob(d.item ?? "").test(item));
  /** @type {Set<Difference>} */
  const used = new Set();
  /** @type {string[]} */
  const unexplained = [];
  const tally = /** @type {Record<Metric, { agree: number, raw: number, total: number }>} */ (
    Object.fromEntries(METRICS.map((m) => [m, { agree: 0, raw: 0, total: 0 }]))
  );
  /** @param {Metric} metric @param {string} op @param {Kind} kind @param {string} item @param {boolean} agrees */
  const count = (metric, op, kind, item, agrees, detail = "") => {
    tally[metric].total++;
    if (agrees) return tally[metric].agree++, tally[metric].raw++;
    const d = isListed(op, kind, item);
    if (d) {
      used.add(d);
      tally[metric].agree++;
    } else unexplained.push(`${op}: ${kind} ${item}${detail ? ` (${detail})` : ""}`);
  };
  /** @param {string} op @param {Kind} kind @param {string} problem */
  const hard = (op, kind, problem) => {
    const d = isListed(op, kind);
    if (d) used.add(d);
    else unexplained.push(`${op}: ${problem}`);
    return !!d;
  };
  /** @type {string[]} */
  const hardFailures = [];

  for (const key of [...new Set([...Object.keys(ops), ...Object.keys(facts)])].sort()) {
    const ours = ops[key];
    const theirs = facts[key];
    if (!ours || !theirs) {
      if (!hard(key, "operation", ours ? "not in GitHub's descriptions of the era" : "missing from the spec"))
        hardFailures.push(key);
      continue;
    }
    const since = String(ours.op["x-ghes-since"] ?? "2.20");
    if (since !== theirs.since && !hard(key, "since", `x-ghes-since ${since}, GitHub's descriptions ${theirs.since}`))
      hardFailures.push(key);
    const until = ours.op["x-ghes-until"] === undefined ? undefined : String(ours.op["x-ghes-until"]);
    if (until !== theirs.until && !hard(key, "until", `x-ghes-until ${until}, GitHub's descriptions ${theirs.until}`))
      hardFailures.push(key);

    const mine = /** @type {Facts} */ (operationFacts(spec, ours.path, ours.op));
    for (const p of new Set([...Object.keys(mine.parameters), ...Object.keys(theirs.parameters)]))
      count("parameters", key, "parameter", p, mine.parameters[p] === theirs.parameters[p], side(mine.parameters, theirs.parameters, p));
    const statuses = new Set([...Object.keys(mine.responses), ...Object.keys(theirs.responses)]);
    statuses.delete("default");
    for (const s of statuses) count("statuses", key, "status", s, s in mine.responses && s in theirs.responses, side(mine.responses, theirs.responses, s));
    for (const s of statuses) {
      const a = mine.responses[s];
      const b = theirs.responses[s];
      if (!/^2/.test(s) || !a || !b) continue;
      for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
        const item = `${s}:${name}`;
        const both = name in a && name in b;
        count("properties", key, "property", item, both, side(a, b, name));
        if (!both) continue;
        count("required", key, "required", item, a[name]?.includes("r") === b[name]?.includes("r"), side(a, b, name));
        count("nullable", key, "nullable", item, a[name]?.includes("n") === b[name]?.includes("n"), side(a, b, name));
      }
    }
    const ab = mine.body ?? {};
    const bb = theirs.body ?? {};
    for (const name of new Set([...Object.keys(ab), ...Object.keys(bb)]))
      count("body", key, "body", name, name in ab && name in bb && ab[name]?.includes("r") === bb[name]?.includes("r"), side(ab, bb, name));
  }
  const pct = (/** @type {number} */ n, /** @type {number} */ total) => (total ? Math.floor((1000 * n) / total) / 10 : 100);
  const percent = /** @type {Record<Metric, number>} */ (Object.fromEntries(Object.entries(tally).map(([m, t]) => [m, pct(t.agree, t.total)])));
  // The same without counting the listed differences as agreement: how far the spec is from the facts.
  const raw = /** @type {Record<Metric, number>} */ (Object.fromEntries(Object.entries(tally).map(([m, t]) => [m, pct(t.raw, t.total)])));
  return { percent, raw, tally, unexplained, hardFailures, stale: listed.filter((d) => !used.has(d)) };
}
