// The API reference pages (`npm run docs`, scripts/docs.mjs), opened in headless Chromium (Debian's
// chromium; .ci/run installs it): each era's page shows every operation of the era's operation table, and
// the TypeDoc pages of core and auth list every export. Screenshots go to $TMPDIR/ghes-sdk-docs-screenshots/.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { chromium, type Browser } from "playwright-core";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundled, ERAS, REPO_ROOT } from "./support/specs.js";

const require = createRequire(import.meta.url);
const SCREENSHOTS = join(tmpdir(), "ghes-sdk-docs-screenshots");
let out: string;
let browser: Browser;
let server: Server;
let base: string;
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "ghes-sdk-docs-"));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const docs = await new Promise<{ status: number | null; log: string }>((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, "scripts", "docs.mjs"), "--out", out], { cwd: REPO_ROOT });
    let log = "";
    child.stdout.on("data", (c) => (log += c));
    child.stderr.on("data", (c) => (log += c));
    child.on("close", (status) => resolve({ status, log }));
  });
  if (docs.status !== 0) throw new Error(`scripts/docs.mjs failed:\n${docs.log}`);
  // Served over HTTP from 127.0.0.1, as a docs host would (file:// blocks TypeDoc's icon sprite).
  server = createServer(async (req, res) => {
    const path = join(out, normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)));
    const body = await readFile(path).catch(() => undefined);
    res.writeHead(body ? 200 : 404, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (out) rmSync(out, { recursive: true, force: true });
});

/** Opens a page; `failed` collects the page's errors and the local files it could not load. */
async function open(path: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const failed: string[] = [];
  // Only the "API docs by Redocly" badge is remote (cdn.redoc.ly); no other network exists here.
  page.on("requestfailed", (r) => void (r.url().startsWith(base) && failed.push(r.url())));
  page.on("response", (r) => void (r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`)));
  page.on("pageerror", (e) => failed.push(`page error: ${e.message}`));
  await page.goto(base + path, { waitUntil: "load" });
  return { page, failed };
}

describe.each(ERAS)("docs/%s.html", (era) => {
  it("shows every operation of the era, and renders", async () => {
    const { operationTable } = (await import(`@ghes-sdk/${era}`)) as { operationTable: Record<string, { method: string; path: string }> };
    const spec = bundled(era);
    type SpecOperation = { tags?: string[]; summary?: string };
    const tags = new Set<string>();
    for (const item of Object.values(spec.paths as Record<string, Record<string, SpecOperation>>)) {
      for (const op of Object.values(item)) for (const tag of op.tags ?? []) tags.add(tag);
    }
    // The shipped table is slim (method, path, …); each operation's summary is in the bundled spec.
    const summaryOf = (op: { method: string; path: string }) =>
      (spec.paths as Record<string, Record<string, SpecOperation>>)[op.path]?.[op.method]?.summary;
    const { page, failed } = await open(`${era}.html`);
    expect(await page.title()).toBe(`@ghes-sdk/${era} — API reference`);
    // The sidebar lists each operation as "<summary> <METHOD>" under its tag; opening a tag renders its
    // operations as sections "/<tag>/<operationId>".
    const shown = new Set<string>();
    const labels = new Set<string>();
    for (const tag of tags) {
      await page.getByTestId("menu-item-label").filter({ hasText: new RegExp(`^${tag}$`) }).click();
      await page.waitForSelector(`[data-section-id^="/${tag}/"]`, { state: "attached", timeout: 60_000 });
      for (const id of await page.$$eval(`[data-section-id^="/${tag}/"]`, (els) => els.map((el) => el.getAttribute("data-section-id")!))) {
        shown.add(id.slice(tag.length + 2));
      }
      const items = await page.$$eval('[data-testid="menu-item-label"]', (els) => els.map((el) => (el as HTMLElement).innerText.replace(/\s+/g, " ").trim()));
      for (const item of items) labels.add(item);
    }
    expect([...shown].sort()).toEqual(Object.keys(operationTable).sort());
    for (const op of Object.values(operationTable)) {
      expect(summaryOf(op), `${op.method} ${op.path} has a summary`).toBeTruthy();
      expect([...labels]).toContain(`${summaryOf(op)} ${op.method.toUpperCase()}`);
    }
    const shot = join(SCREENSHOTS, `${era}.png`);
    await page.screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    expect(failed).toEqual([]);
    await page.close();
  }, 180_000);
});

/** The names a package's entry point exports (values and types), from its built declarations. */
function exportNames(pkgName: string): string[] {
  const dts = require.resolve(pkgName).replace(/\.js$/, ".d.ts");
  const program = ts.createProgram([dts], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(dts)!)!;
  return checker.getExportsOfModule(symbol).map((s) => s.getName());
}

describe.each(["core", "auth"])("docs/%s (TypeDoc)", (name) => {
  it("lists every export of the package", async () => {
    const { page, failed } = await open(`${name}/index.html`);
    const listed = await page.$$eval("a", (as) => as.map((a) => a.textContent?.trim() ?? ""));
    const missing = exportNames(`@ghes-sdk/${name}`).filter((n) => !listed.includes(n));
    // Types re-exported from openapi-fetch are documented there, not here.
    expect(missing.filter((n) => !["Client", "Middleware"].includes(n))).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
    expect(failed).toEqual([]);
    await page.close();
  }, 60_000);
});
