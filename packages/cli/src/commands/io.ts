import type { PostgresStorage } from '@fulfil/storage-postgres';

/** Where a command writes, and what it reads from its environment (tests pass their own). */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Is stderr a terminal (progress bars are drawn only then)? */
  stderrIsTTY: boolean;
  /** Writes to stderr without a line break (progress). */
  errRaw: (text: string) => void;
  /**
   * Opens the storage `explain` and `replay` read (tests pass one on PGlite). Default: PostgreSQL
   * at `DATABASE_URL`. A storage opened here is not closed by the command.
   */
  openStorage?: (schema: string | undefined) => PostgresStorage;
}

/** The process's own streams. */
export function processIo(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    errRaw: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
  };
}
