// @ts-check
// The drift comparison: an era's bundled spec, read as served at one GHES version (facts-lib's servedAt),
// operation by operation against that version's facts (openapi/facts/versions/ghes-<v>[.<api>].json), with
// the era's listed deliberate differences; and the era's availability — which versions serve each
// operation — against which versions' facts hold it. Shared by the drift test
// (packages/conformance/test/drift.test.ts: the spec against our facts) and `npm run ghes-watch` (the spec
// against facts read from GitHub's newer descriptions), so both report a difference the same way.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { specEntries } from "@ghes-sdk/core";
import yaml from "js-yaml";
import { repoRoot } from "./eras.mjs";
import { compareVersions, eraRange, eraVersions, factsVersions, inRange, loadVersionFacts, operationFacts, servedAt } from "./facts-lib.mjs";

/**
 * @typedef {"parameters" | "statuses" | "properties" | "required" | "nullable" | "body"} Metric
 * @typedef {"operation" | "since" | "until" | "parameter" | "status" | "property" | "required" | "nullable" | "body"} Kind
 * @typedef {{ operationId: string, parameters: Record<string, string>,
 *   responses: Record<string, Record<string, string> | null>, body?: Record<string, string> }} Facts
 * @typedef {{ op: string, kind: Kind, item?: string, versions?: string, reason: string }} Difference
 *   `op` is "METHOD /path", or "*" for every operation (a schema difference shows in each operation using
 *   it); `item` is what differs ("query:since", "404", "200:account.login", "access_token"), `*` matching
 *   any characters; `versions` (optional) limits it to some GHES versions: "3.17", "3.12-3.16", "3.17-",
 *   "-3.11", several separated by commas.
 * @typedef {Record<Metric, { agree: number, raw: number, total: number }>} Tally
 */

export const METRICS = /** @type {Metric[]} */ (["parameters", "statuses", "properties", "required", "nullable", "body"]);

export const factsDir = join(repoRoot, "openapi", "facts");

/** @param {string} era @returns {Difference[]} */
export const loadDifferences = (era) => {
  const file = join(factsDir, `${era}.differences.yaml`);
  return existsSync(file) ? /** @type {Difference[] | null} */ (yaml.load(readFileSync(file, "utf8"))) ?? [] : [];
};

/**
 * Whether a listed difference's `versions` covers a GHES version (no `versions`: every version).
 * @param {string | undefined} spec @param {string} version
 */
export function coversVersion(spec, version) {
  if (spec === undefined || spec === null || String(spec).trim() === "") return true;
  // YAML reads an unquoted 3.10 as the number 3.1.
  if (typeof spec !== "string") throw new Error(`differences: versions ${JSON.stringify(spec)} must be a quoted string ("3.10", not 3.10)`);
  return String(spec)
    .split(",")
    .map((s) => s.trim())
    .some((part) => {
      const m = /^(\d+\.\d+)?\s*(-)?\s*(\d+\.\d+)?$/.exec(part);
      if (!m || (!m[1] && !m[3])) throw new Error(`differences: versions "${spec}" is not like "3.17", "3.12-3.16", "3.17-" or "-3.11"`);
      if (!m[2]) return compareVersions(version, /** @type {string} */ (m[1])) === 0;
      return (!m[1] || compareVersions(version, m[1]) >= 0) && (!m[3] || compareVersions(version, m[3]) <= 0);
    });
}

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

/** A lookup of listed differences: the first one explaining (op, kind, item) at a version, or undefined. @param {Difference[]} listed */
const finder = (listed) => (/** @type {string} */ op, /** @type {Kind} */ kind, item = "", /** @type {string | undefined} */ version = undefined) =>
  listed.find(
    (d) => (d.op === op || d.op === "*") && d.kind === kind && glob(d.item ?? "").test(item) && (version === undefined || coversVersion(d.versions, version)),
  );

const pct = (/** @type {number} */ n, /** @type {number} */ total) => (total ? Math.floor((1000 * n) / total) / 10 : 100);

/**
 * One version: the spec as served there against that version's facts, item by item. Every item is one
 * agreement or one difference; `unexplained` lists each difference no listed one explains, as
 * "METHOD /path: what differs". Operations only one side has are availability (see `availability`);
 * with `presence`, they are reported here too (ghes-watch, which reads one version at a time).
 * @param {any} spec the era's bundled spec (read here as served at `version`)
 * @param {Record<string, Facts>} facts @param {Difference[]} listed @param {string} version
 * @param {{ presence?: boolean, served?: any }} [options]
 */
export function compareAt(spec, facts, listed, version, { presence = false, served = servedAt(spec, version) } = {}) {
  const ops = operationsOf(served);
  const isListed = finder(listed);
  /** @type {Set<Difference>} */
  const used = new Set();
  /** @type {string[]} */
  const unexplained = [];
  const tally = /** @type {Tally} */ (Object.fromEntries(METRICS.map((m) => [m, { agree: 0, raw: 0, total: 0 }])));
  /** @param {Metric} metric @param {string} op @param {Kind} kind @param {string} item @param {boolean} agrees */
  const count = (metric, op, kind, item, agrees, detail = "") => {
    tally[metric].total++;
    if (agrees) return tally[metric].agree++, tally[metric].raw++;
    const d = isListed(op, kind, item, version);
    if (d) {
      used.add(d);
      tally[metric].agree++;
    } else unexplained.push(`${op}: ${kind} ${item}${detail ? ` (${detail})` : ""}`);
  };

  for (const key of [...new Set([...Object.keys(ops), ...Object.keys(facts)])].sort()) {
    const ours = ops[key];
    const theirs = facts[key];
    if (!ours || !theirs) {
      if (!presence) continue;
      const d = isListed(key, "operation", "", version);
      if (d) used.add(d);
      else unexplained.push(`${key}: ${ours ? `not in GitHub's description of GHES ${version}, which the spec says serves it` : "missing from the spec"}`);
      continue;
    }
    const mine = /** @type {Facts} */ (operationFacts(served, ours.path, ours.op));
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
  const percent = /** @type {Record<Metric, number>} */ (Object.fromEntries(Object.entries(tally).map(([m, t]) => [m, pct(t.agree, t.total)])));
  // The same without counting the listed differences as agreement: how far the spec is from the facts.
  const raw = /** @type {Record<Metric, number>} */ (Object.fromEntries(Object.entries(tally).map(([m, t]) => [m, pct(t.raw, t.total)])));
  return { version, percent, raw, tally, unexplained, used };
}

/**
 * Availability over an era: for every operation, the versions the spec serves it at (x-ghes-since/until)
 * against the versions whose facts hold it, within the era's versions. A mismatch before the later of the
 * two starts is a `since` finding, after the earlier of the two ends an `until` finding, anything else (an
 * operation one side never has, or a gap) an `operation` finding; a listed difference of that kind
 * covering every mismatched version explains it. Returns the unexplained findings, as "METHOD /path: …".
 * @param {any} spec @param {string[]} versions @param {(version: string) => Record<string, Facts>} factsAt
 * @param {Difference[]} listed
 */
export function availability(spec, versions, factsAt, listed) {
  const isListed = finder(listed);
  const ops = operationsOf(spec);
  /** @type {Set<Difference>} */
  const used = new Set();
  /** @type {string[]} */
  const findings = [];
  const keys = new Set([...Object.keys(ops), ...versions.flatMap((v) => Object.keys(factsAt(v)))]);
  for (const key of [...keys].sort()) {
    const op = ops[key]?.op;
    const since = op ? String(op["x-ghes-since"] ?? "2.20") : undefined;
    const until = op?.["x-ghes-until"] === undefined ? undefined : String(op["x-ghes-until"]);
    const specServes = (/** @type {string} */ v) => !!op && inRange({ first: /** @type {string} */ (since), last: until }, v);
    const facts = versions.filter((v) => key in factsAt(v));
    const serving = versions.filter(specServes);
    const mismatched = versions.filter((v) => specServes(v) !== facts.includes(v));
    if (!mismatched.length) continue;
    /** @type {Map<Kind, string[]>} */
    const byKind = new Map();
    for (const v of mismatched) {
      /** @type {Kind} */
      let kind = "operation";
      if (facts.length && serving.length) {
        const start = compareVersions(/** @type {string} */ (facts[0]), /** @type {string} */ (serving[0])) > 0 ? facts[0] : serving[0];
        const end = compareVersions(/** @type {string} */ (facts.at(-1)), /** @type {string} */ (serving.at(-1))) < 0 ? facts.at(-1) : serving.at(-1);
        if (compareVersions(v, /** @type {string} */ (start)) < 0) kind = "since";
        else if (compareVersions(v, /** @type {string} */ (end)) > 0) kind = "until";
      }
      byKind.set(kind, [...(byKind.get(kind) ?? []), v]);
    }
    for (const [kind, vs] of byKind) {
      const d = isListed(key, kind, "");
      if (d && vs.every((v) => coversVersion(d.versions, v))) {
        used.add(d);
        continue;
      }
      const range = (/** @type {string[]} */ list) => (list.length ? `${list[0]}${list.length > 1 ? `–${list.at(-1)}` : ""}` : "none");
      findings.push(
        `${key}: ${kind} — the spec serves GHES ${range(serving)} of the era (x-ghes-since ${since ?? "-"}, x-ghes-until ${until ?? "-"}), ` +
          `GitHub's descriptions ${range(facts)}; differing at ${vs.join(", ")}`,
      );
    }
  }
  return { findings, used };
}

/**
 * A whole era: availability, and each version it covers compared as served there. The facts of an era
 * named by a REST API version are that API version's file where GitHub ships one.
 * @param {string} era @param {any} spec @param {Difference[]} listed
 * @param {{ versions?: string[], factsAt?: (version: string) => Record<string, Facts> }} [options]
 */
export function compareEra(era, spec, listed, options = {}) {
  const range = eraRange(era);
  const versions = options.versions ?? eraVersions(era, factsVersions(), range);
  const cache = new Map();
  const factsAt =
    options.factsAt ??
    ((/** @type {string} */ v) => {
      if (!cache.has(v)) cache.set(v, loadVersionFacts(v, range.api));
      return cache.get(v);
    });
  const perVersion = versions.map((v) => compareAt(spec, factsAt(v), listed, v));
  const avail = availability(spec, versions, factsAt, listed);
  const used = new Set([...avail.used, ...perVersion.flatMap((r) => [...r.used])]);
  return { era, versions, perVersion, availability: avail.findings, stale: listed.filter((d) => !used.has(d)) };
}

/** One line of figures: "ghes-3.x @ 3.7: parameters 100, statuses 98.5, …; 3 not listed". @param {string} era @param {ReturnType<typeof compareAt>} r */
export const figuresLine = (era, r) =>
  `${era} @ ${r.version}: ${METRICS.map((m) => `${m} ${r.raw[m]}`).join(", ")}; ${r.unexplained.length} not listed`;
