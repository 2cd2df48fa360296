/**
 * The one error type every @ghes-sdk client throws for bad input. The message always starts with the
 * package that raised it and names the offending option or parameter — never its value, because values
 * here are often secrets (tokens travel in path parameters on the deprecated token-in-path endpoints).
 */
export class GhesSdkError extends Error {
  override name = "GhesSdkError";
  constructor(packageName: string, message: string) {
    super(`${packageName}: ${message}`);
  }
}
