import type { Output } from '../../daemon/cli/output';

export function captureOutput(): Output & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    stdout: () => out.join('\n'),
    stderr: () => err.join('\n'),
  };
}
