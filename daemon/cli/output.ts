/** Where a command writes what it has to say: stdout and stderr, one line at a time. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** The process's own stdout and stderr. */
export const processOutput: Output = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};
