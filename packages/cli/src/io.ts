// What a command reads and writes, passed in so the Action and the tests run the same code as the bin.
export interface Io {
  /** One line (or block) for stdout. */
  out(text: string): void;
  /** One line for stderr. */
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** All of stdin, for a token piped in. */
  stdin(): Promise<string>;
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    stdin: async () => {
      // A terminal is not a pipe: nothing would ever arrive, so do not wait for it.
      if (process.stdin.isTTY) return "";
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}
