// What replaces a deprecated operation, derived from the spec (the specs say "deprecated", not what
// replaces it). Each rule is a small named function; an operation no rule explains stops generation, so a
// newly deprecated operation cannot ship without a replacement in its warning and JSDoc.
const METHODS = ["get", "put", "post", "delete", "patch"];

function findOp(spec, method, path) {
  const op = spec.paths?.[path]?.[method];
  return op && !op.deprecated ? { operationId: op.operationId, method, path } : undefined;
}

// GHES 2.20–3.3 token-in-path endpoints (`…/tokens/{access_token}`, `…/grants/{access_token}`) moved the
// token into the body of `…/token` and `…/grant`: check is GET → POST, reset is POST → PATCH, revoke stays DELETE.
function tokenInPath(spec, method, path) {
  if (!path.includes("/{access_token}")) return undefined;
  const moved = path.replace("/tokens/{access_token}", "/token").replace("/grants/{access_token}", "/grant");
  const newMethod = { get: "post", post: "patch", delete: "delete" }[method];
  const found = newMethod && findOp(spec, newMethod, moved);
  if (!found) throw new Error(`deprecations: ${method.toUpperCase()} ${path} has the token in its path but ${newMethod?.toUpperCase()} ${moved} is not in the spec`);
  return found;
}

// An operation that moved under a longer path with the same method (2.22's repository-scoped content
// attachments replace `/content_references/{id}/attachments`).
function movedPath(spec, method, path) {
  const candidates = Object.keys(spec.paths ?? {}).filter((p) => p !== path && p.endsWith(path));
  const found = candidates.map((p) => findOp(spec, method, p)).filter(Boolean);
  return found.length === 1 ? found[0] : undefined;
}

// The OAuth Authorizations API has no endpoint that replaces it: its deprecation notice sends apps to the
// web application flow.
function webFlow(_spec, _method, _path, op) {
  return /web application flow/i.test(op.description ?? "")
    ? { text: "the OAuth web application flow (no API endpoint replaces it)" }
    : undefined;
}

/** `{ operationId, method, path }` of the replacing operation, or `{ text }` when no operation replaces it. */
export function replacementOf(spec, method, path) {
  const op = spec.paths[path][method];
  if (!op.deprecated) return undefined;
  for (const rule of [tokenInPath, movedPath, webFlow]) {
    const found = rule(spec, method, path, op);
    if (found) return found;
  }
  throw new Error(`deprecations: ${op.operationId} is deprecated but no rule finds what replaces it; add one to scripts/deprecations.mjs`);
}

/** One line naming the replacement, as warnings and JSDoc show it. */
export function replacementText(r) {
  return r.text ?? `${r.operationId} (${r.method.toUpperCase()} ${r.path})`;
}

export { METHODS };
