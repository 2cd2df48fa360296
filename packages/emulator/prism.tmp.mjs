import { startEmulator, seedDemo } from "./dist/index.js";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const em = await startEmulator({ era: "ghes-3.x" });
const d = seedDemo(em.state);
const spec = require.resolve("@ghes-sdk/ghes-3.x/openapi.json");
const child = spawn("node_modules/.bin/prism", ["proxy", spec, em.baseUrl, "--host", "127.0.0.1", "--port", "4055", "--errors=false"], { cwd: "../.." , stdio: ["ignore","pipe","pipe"]});
let out=""; child.stdout.on("data", c=>{out+=c; }); child.stderr.on("data", c=>{out+=c;});
const t0=Date.now();
while (!out.includes("Prism is listening")) { await new Promise(r=>setTimeout(r,100)); if (Date.now()-t0>30000) { console.log(out); process.exit(1);} }
console.log("started in", Date.now()-t0);
for (const p of ["/api/v3/app", "/app"]) {
  const r = await fetch("http://127.0.0.1:4055"+p, { headers: { authorization: "token x", accept: "application/vnd.github.v3+json"} });
  console.log(p, r.status, r.headers.get("sl-violations"), (await r.text()).slice(0,200));
}
console.log(em.served);
console.log(out.slice(-1500));
child.kill(); await em.close();
