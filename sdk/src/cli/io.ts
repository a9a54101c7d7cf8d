// Where the CLI writes: stdout for results, stderr for progress and errors. Swappable so tests
// can run commands in-process and read what they printed.
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** True when stderr is a terminal (progress bars only then). */
  tty: boolean;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  tty: Boolean(process.stderr.isTTY),
};
