/**
 * A `paths` type that accepts any path with optional params and body, so tests can drive a raw
 * openapi-fetch client (`createClient<LoosePaths>`) the way the issue asks for "a plain openapi-fetch
 * client", without an era package's generated types. (`createClient<any>` makes every init argument
 * required, which is noise in tests.)
 */
type Operation = {
  parameters: { query?: Record<string, unknown>; header?: Record<string, unknown>; path?: Record<string, unknown>; cookie?: never };
  requestBody?: { content: { "application/json": unknown } };
  responses: {
    200: { headers: Record<string, unknown>; content: { "application/json": any } };
    default: { headers: Record<string, unknown>; content: { "application/json": any } };
  };
};
type PathItem = {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: Operation;
  put: Operation;
  post: Operation;
  delete: Operation;
  options: Operation;
  head: Operation;
  patch: Operation;
  trace: Operation;
};
export type LoosePaths = Record<string, PathItem>;
