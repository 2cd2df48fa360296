import { deref } from "./specs.js";
import { startServer, type Recorded, type Reply } from "./server.js";

const METHODS = ["get", "put", "post", "patch", "delete"];

/**
 * Answers each request with the success response its operation documents in the bundled spec: the
 * lowest 2xx status and the page's example as body. Unknown routes get 404, as GHES answers them.
 */
export function replyFromSpec(spec: any): (req: Recorded) => Reply {
  const routes = Object.entries(spec.paths as Record<string, any>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({
      method: method.toUpperCase(),
      pattern: new RegExp(`^/api/v3${path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
      responses: item[method].responses as Record<string, any>,
    })),
  );
  return (req) => {
    const pathname = new URL(req.url, "http://127.0.0.1").pathname;
    const route = routes.find((r) => r.method === req.method && r.pattern.test(pathname));
    if (!route) return { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };
    const status = Object.keys(route.responses).filter((s) => s.startsWith("2")).sort()[0]!;
    const media = deref(spec, route.responses[status])?.content?.["application/json"];
    const example = media?.examples ? deref(spec, Object.values(media.examples)[0])?.value : undefined;
    return { status: Number(status), body: example };
  };
}

export const startSpecServer = (spec: any) => startServer(replyFromSpec(spec));
