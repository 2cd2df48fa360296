/** A request's headers: a fetch `Headers`, or a plain record such as node:http's `req.headers`. */
export type HeadersLike = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** One header's value, whatever the case of its name; a repeated header counts as absent-if-conflicting. */
export function header(headers: HeadersLike, name: string): string | undefined {
  if (typeof (headers as Headers)?.get === "function") return (headers as Headers).get(name) ?? undefined;
  if (headers === null || typeof headers !== "object") return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === "string") return value;
    // A header sent twice with different values is ambiguous; the signature check then fails closed.
    if (Array.isArray(value)) return value.length === 1 ? value[0] : value.join(", ");
  }
  return undefined;
}
