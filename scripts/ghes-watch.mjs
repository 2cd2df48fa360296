#!/usr/bin/env node
// @ts-check
// Watches GitHub's per-version GHES descriptions for what our specs do not say yet: for each GHES version
// without facts of its own (openapi/facts/versions/ has none: newer than our facts), each era package
// serving it, and every operation this SDK covers, the facts are read from GitHub's description as
// scripts/facts.mjs reads them and compared with the era's spec as served at that version, as the drift
// test compares them (scripts/drift-lib.mjs, deliberate differences included). Prints a Markdown report,
// per operation and version; the weekly workflow (.github/workflows/ghes-watch.yml) files it as an issue.
//
//   npm run ghes-watch -- <descriptions folder> [--out report.md]
//
// The folder is laid out as github/rest-api-description's descriptions/: ghes-<version>/ghes-<version>.json
// and, per REST API version, ghes-<version>.<api version>.json (other files are ignored). An era named by a
// REST API version reads that version's file (else the plain one); the other eras read the plain file.
// Exit status: 0 nothing to report, 1 a report, 2 bad input.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { compareAt, loadDifferences } from "./drift-lib.mjs";
import { eras, repoRoot } from "./eras.mjs";
import { apiVersionOf, compareVersions, DEFAULT_API, eraRange, factsVersions, inRange, inScopeOperations, operationFacts } from "./facts-lib.mjs";

/**
 * @typedef {import("./drift-lib.mjs").Difference} Difference
 * @typedef {import("./drift-lib.mjs").Facts} Facts
 * @typedef {{ version: string, apiVersion?: string, file: string }} Description
 * @typedef {{ op: string, version: string, era: string, what: string }} Finding
 * @typedef {{ read: string[], skipped: string[], notes: string[], findings: Finding[] }} Result
 */

const USAGE = "usage: npm run ghes-watch -- <descriptions folder> [--out report.md]";
/** @param {string} problem @returns {never} */
const fail = (problem) => {
  console.error(`ghes-watch: ${problem}\n${USAGE}`);
  process.exit(2);
};

/** The GHES versions with facts; a description of any other version is "newer than our facts". */
const KNOWN = factsVersions();
const NEWEST_KNOWN = /** @type {string} */ (KNOWN.at(-1));

/** The eras serving a GHES version, from their specs' info (x-ghes-first, x-ghes-last). @param {string} version */
const erasOf = (version) => /** @type {string[]} */ (eras).filter((era) => inRange(eraRange(era), version));

/** Every ghes-<version>[.<api version>].json below a folder. @param {string} folder */
function findDescriptions(folder) {
  /** @type {Description[]} */
  const found = [];
  const walk = (/** @type {string} */ dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const m = /^ghes-(\d+\.\d+)(?:\.(\d{4}-\d{2}-\d{2}))?\.json$/.exec(name);
        if (m) found.push({ version: /** @type {string} */ (m[1]), apiVersion: m[2], file: path });
      }
    }
  };
  walk(folder);
  return found;
}

/**
 * One description against one era's spec, as served at the version: the differences no listed one
 * explains, as { op: "METHOD /path", what }. Availability is compared by presence only — one version's
 * description cannot say since when an operation is served, only whether it is.
 * @param {any} description @param {any} spec @param {Difference[]} listed @param {string} version
 */
function watchOne(description, spec, listed, version) {
  /** @type {Record<string, Facts>} */
  const facts = {};
  for (const { key, path, op } of inScopeOperations(description)) facts[key] = /** @type {Facts} */ (operationFacts(description, path, op));
  return compareAt(spec, facts, listed, version, { presence: true }).unexplained.map((line) => {
    const at = line.indexOf(": ");
    return { op: line.slice(0, at), what: line.slice(at + 2) };
  });
}

/**
 * Reads a descriptions folder against the eras' bundled specs; returns the report's parts.
 * @param {string} folder
 * @param {{ specOf: (era: string) => any, differencesOf: (era: string) => Difference[] }} sources
 * @returns {Result}
 */
function watch(folder, { specOf, differencesOf }) {
  /** @type {Result} */
  const result = { read: [], skipped: [], notes: [], findings: [] };
  const { read, skipped, notes, findings } = result;
  /** @type {Map<string, Description[]>} */
  const byVersion = new Map();
  for (const d of findDescriptions(folder)) byVersion.set(d.version, [...(byVersion.get(d.version) ?? []), d]);
  const versions = [...byVersion.keys()].sort(compareVersions);
  const covered = new Set(/** @type {string[]} */ (eras).map(apiVersionOf).filter(Boolean));
  for (const version of versions) {
    if (KNOWN.includes(version)) {
      skipped.push(version);
      continue;
    }
    const files = byVersion.get(version) ?? [];
    for (const f of files)
      if (f.apiVersion && !covered.has(f.apiVersion))
        notes.push(`GHES ${version} also describes REST API version ${f.apiVersion}, which no era package covers.`);
    const serving = erasOf(version);
    if (!serving.length) notes.push(`GHES ${version}: no era package serves it.`);
    for (const era of serving) {
      const apiVersion = apiVersionOf(era);
      const pick = files.find((f) => apiVersion && f.apiVersion === apiVersion) ?? (apiVersion && apiVersion !== DEFAULT_API ? undefined : files.find((f) => !f.apiVersion));
      if (!pick) {
        notes.push(`GHES ${version}: no description of REST API version ${apiVersion} to compare with ${era}.`);
        continue;
      }
      read.push(`GHES ${version}: ${relative(folder, pick.file)} against ${era}`);
      const description = JSON.parse(readFileSync(pick.file, "utf8"));
      for (const f of watchOne(description, specOf(era), differencesOf(era), version)) findings.push({ ...f, version, era });
    }
  }
  return result;
}

/**
 * The report as Markdown: one section per operation, each difference once with the versions showing it.
 * @param {Result} result
 */
function report({ read, skipped, notes, findings }) {
  const lines = ["## GitHub's newer GHES descriptions against our specs", ""];
  lines.push(`Compared (versions without facts of their own; ours stop at GHES ${NEWEST_KNOWN}):`, "", ...read.map((r) => `- ${r}`), "");
  if (skipped.length) lines.push(`Already in our facts, skipped: GHES ${skipped.join(", ")}.`, "");
  if (notes.length) lines.push(...notes.map((n) => `- ${n}`), "");
  if (!findings.length) {
    lines.push("Nothing new: every newer description agrees with our specs (deliberate differences aside).");
    return lines.join("\n") + "\n";
  }
  lines.push(
    "Each line: what differs, as the drift test words it (*spec only*: our spec has it and GitHub's description " +
      "does not; *GitHub only*: the reverse), and the GHES versions whose description shows it. Update the spec " +
      "(or list the difference with its reason in `openapi/facts/<era>.differences.yaml`), then `npm test`.",
    "",
  );
  /** @type {Map<string, Map<string, string[]>>} op → era and what differs → versions */
  const byOp = new Map();
  for (const f of findings) {
    const whats = byOp.get(f.op) ?? new Map();
    const key = `${f.era}\u0000${f.what}`;
    whats.set(key, [...(whats.get(key) ?? []), f.version]);
    byOp.set(f.op, whats);
  }
  for (const op of [...byOp.keys()].sort()) {
    lines.push(`### \`${op}\``, "");
    for (const [key, versions] of byOp.get(op) ?? []) {
      const [era, what] = key.split("\u0000");
      lines.push(`- GHES ${versions.join(", ")} (${era}): ${what}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: "string" } } });
  if (positionals.length !== 1) fail(positionals.length ? `one descriptions folder, not ${positionals.length}` : "missing the descriptions folder");
  const folder = /** @type {string} */ (positionals[0]);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) fail(`${folder} is not a folder`);
  const specOf = (/** @type {string} */ era) => {
    const file = join(repoRoot, "packages", era, "openapi.json");
    if (!existsSync(file)) fail(`packages/${era}/openapi.json is missing; run \`npm run build\` first`);
    return JSON.parse(readFileSync(file, "utf8"));
  };
  const result = watch(folder, { specOf, differencesOf: loadDifferences });
  if (!result.read.length)
    fail(`no description of a GHES version without facts of its own (ours stop at ${NEWEST_KNOWN}) in ${folder} (looked for ghes-<version>/ghes-<version>[.<api version>].json)`);
  const text = report(result);
  if (values.out) writeFileSync(values.out, text);
  process.stdout.write(text);
  process.exitCode = result.findings.length ? 1 : 0;
}

main();
