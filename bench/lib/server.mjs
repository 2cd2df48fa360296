// A loopback GHES for the bench, run as its own process so it does not share the client's event loop.
// Answers the token check, mints installation tokens (counting mints), serves installation-token routes.
// Prints its port on stdout. GET /__stats gives counters; POST /__reset clears them.
import { createServer } from "node:http";

const CHECK = JSON.stringify({ id: 1, token: "gho_16C7e42F292c6912E7710c838347Ae178B4a", scopes: ["repo"], user: { login: "octocat" } });
let mints = 0;
let requests = 0;
let last = "";
let connections = 0; // opened since the last reset: how many sockets a contender's requests took
const tokens = new Map(); // token → installation id
const expires = () => new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");

const server = createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const url = req.url ?? "";
    const send = (status, json) => {
      const text = JSON.stringify(json);
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
      res.end(text);
    };
    if (url === "/__stats") return send(200, { mints, requests, last, connections });
    if (url === "/__reset") {
      mints = 0;
      requests = 0;
      connections = 0;
      tokens.clear();
      return send(200, {});
    }
    requests++;
    last = `${req.method} ${url} ${req.headers.authorization ?? ""} ${body}`;
    const mint = /\/app\/installations\/(\d+)\/access_tokens$/.exec(url);
    if (mint && req.method === "POST") {
      if (!/^bearer [\w-]+\.[\w-]+\.[\w-]+$/i.test(req.headers.authorization ?? "")) return send(401, { message: "A JSON web token could not be decoded" });
      mints++;
      const token = `ghs_bench${String(mint[1]).padStart(6, "0")}x${mints}`;
      tokens.set(token, Number(mint[1]));
      return send(201, { token, expires_at: expires() });
    }
    const inst = /\/repos\/[^/]+\/[^/]+\/installation$/.exec(url);
    if (inst) {
      const id = tokens.get((req.headers.authorization ?? "").replace(/^token /, ""));
      return id === undefined ? send(401, { message: "Bad credentials" }) : send(200, { id });
    }
    if (url.endsWith("/token") && req.method === "POST") {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(CHECK) });
      return res.end(CHECK);
    }
    send(404, { message: "Not Found" });
  });
});
server.on("connection", () => connections++);
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
process.on("SIGTERM", () => process.exit(0));
