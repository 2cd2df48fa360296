#!/usr/bin/env node
// Usage: node scripts/matrix.mjs [--check]
//
// Writes openapi/COMPATIBILITY.md: every operation × era, with since/until and deprecation, from the bundled
// specs in packages/<era>/openapi.json and core's compareVersions (run `npm run build` first). --check exits 1 when
// the file is stale.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compareVersions } from "@ghes-sdk/core";
import { eras, repoRoot } from "./eras.mjs";
import { operations } from "./operations.mjs";

export const matrixPath = join(repoRoot, "openapi", "COMPATIBILITY.md");

function cell(row, info) {
  if (!row) return "—";
  const notes = [];
  if (row.since && compareVersions(row.since, info["x-ghes-first"]) > 0) notes.push(`since ${row.since}`);
  if (row.until) notes.push(`until ${row.until}`);
  if (row.deprecated) notes.push("deprecated");
  return ["✓", ...notes].join(" ");
}

/** The matrix as Markdown, from { era: bundled spec }. */
export function renderMatrix(specs) {
  // Columns in the order GHES shipped the eras.
  const names = Object.keys(specs).sort((a, b) => compareVersions(specs[a].info["x-ghes-first"], specs[b].info["x-ghes-first"]));
  const rows = new Map();
  for (const era of names) {
    for (const row of operations(specs[era])) {
      const key = `${row.method.toUpperCase()} ${row.path}`;
      if (!rows.has(key)) rows.set(key, {});
      rows.get(key)[era] = row;
    }
  }
  const heading = names.map((era) => {
    const info = specs[era].info;
    return `${era} (GHES ${info["x-ghes-first"]}${info["x-ghes-last"] ? `–${info["x-ghes-last"]}` : "+"})`;
  });
  const lines = [
    "# Compatibility matrix",
    "",
    "Generated from the specs by `npm run matrix` (scripts/matrix.mjs) — do not edit; `npm test` fails when it is stale.",
    "",
    "✓ served by every version of the era unless noted: *since* = first GHES version that serves it, *until* =",
    "last version that served it, *deprecated* = the documentation carries a deprecation notice.",
    "",
    `| operation | operationId | ${heading.join(" | ")} |`,
    `|---|---|${names.map(() => "---").join("|")}|`,
  ];
  const byPath = [...rows.entries()].sort(([a], [b]) => {
    const [ma, pa] = a.split(" ");
    const [mb, pb] = b.split(" ");
    return pa.localeCompare(pb) || ma.localeCompare(mb);
  });
  for (const [key, perEra] of byPath) {
    const ids = [...new Set(names.map((era) => perEra[era]?.operationId).filter(Boolean))];
    const cells = names.map((era) => cell(perEra[era], specs[era].info));
    lines.push(`| \`${key}\` | ${ids.map((id) => `\`${id}\``).join(", ")} | ${cells.join(" | ")} |`);
  }
  const counts = names.map((era) => `${era}: ${operations(specs[era]).length}`).join(", ");
  lines.push("", `Operations per era — ${counts}.`, "", ...renderEvents(specs, names));
  return lines.join("\n");
}

/** The webhook events each era delivers (its spec's `webhooks`), and the signature headers they carry. */
function renderEvents(specs, names) {
  const webhookRow = (era, key) => {
    const op = specs[era].webhooks?.[key]?.post;
    return op && { since: op["x-ghes-since"], until: op["x-ghes-until"], deprecated: op.deprecated };
  };
  const keys = [...new Set(names.flatMap((era) => Object.keys(specs[era].webhooks ?? {})))].sort();
  const signatures = (era) => {
    const first = Object.values(specs[era].webhooks ?? {})[0]?.post;
    const deref = (p) => (p.$ref ? p.$ref.slice(2).split("/").reduce((at, key) => at?.[key], specs[era]) : p);
    const names = (first?.parameters ?? []).map((p) => deref(p)?.name ?? "").filter((n) => /^X-Hub-Signature/.test(n));
    return names.length ? names.map((n) => `\`${n}\``).join(", ") : "—";
  };
  return [
    "## Webhook events",
    "",
    "What GHES delivers to a GitHub App's webhook (each spec's `webhooks`, typed in `@ghes-sdk/<era>/webhooks`).",
    "",
    `| event.action | ${names.join(" | ")} |`,
    `|---|${names.map(() => "---").join("|")}|`,
    `| *signature headers* | ${names.map(signatures).join(" | ")} |`,
    ...keys.map((key) => `| \`${key}\` | ${names.map((era) => cell(webhookRow(era, key), specs[era].info)).join(" | ")} |`),
    "",
    `Events per era — ${names.map((era) => `${era}: ${Object.keys(specs[era].webhooks ?? {}).length}`).join(", ")}.`,
    "",
  ];
}

export function loadBundles() {
  return Object.fromEntries(
    eras.map((era) => {
      const file = join(repoRoot, "packages", era, "openapi.json");
      if (!existsSync(file)) throw new Error(`matrix: ${file} is missing; run \`npm run build\` first`);
      return [era, JSON.parse(readFileSync(file, "utf8"))];
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = renderMatrix(loadBundles());
  if (process.argv.includes("--check")) {
    const current = existsSync(matrixPath) ? readFileSync(matrixPath, "utf8") : "";
    if (current !== text) {
      console.error("matrix: openapi/COMPATIBILITY.md is stale; run `npm run matrix` and commit it");
      process.exit(1);
    }
    console.log("matrix: openapi/COMPATIBILITY.md is current");
  } else {
    writeFileSync(matrixPath, text);
    console.log("matrix: wrote openapi/COMPATIBILITY.md");
  }
}
