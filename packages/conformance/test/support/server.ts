import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A real HTTP server on 127.0.0.1 that records every request and answers with `reply(request)`.
 * `baseUrl` ends in /api/v3, like a GHES instance's REST root.
 */
export async function startServer(reply: (req: Recorded) => Reply = () => ({ status: 204 })) {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const recorded: Recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: text === "" ? undefined : JSON.parse(text),
      };
      requests.push(recorded);
      const out = reply(recorded);
      const payload = out.body === undefined ? "" : JSON.stringify(out.body);
      res.writeHead(out.status, {
        ...(payload ? { "content-type": "application/json; charset=utf-8" } : {}),
        ...out.headers,
      });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v3`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** Headers that fetch itself adds; everything else on the wire is what the client chose to send. */
const TRANSPORT = new Set(["host", "connection", "content-length", "accept-encoding", "accept-language", "sec-fetch-mode"]);

export function chosenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !TRANSPORT.has(name))
      .map(([name, value]): [string, string] => [name, Array.isArray(value) ? value.join(", ") : String(value)])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
