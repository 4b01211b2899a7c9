import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { launcher } from './fakeMac';
import { requireRuntime, type FakeIo, type FakeRuntime } from './runtimeDir';
import { answerStatus, shellQuote } from './servedCall';

export interface CommandServer {
  /** Stops serving and puts the Node launchers back (a later call runs as a Node process again). */
  close(): Promise<void>;
}

/** Pids shown by served fakes (NSLog prefixes): plausible, never this process's own. */
let nextPid = 71_000;

/**
 * The POSIX sh launcher of a served fake: it writes its arguments (one file each, byte for byte)
 * under `<root>/.fake/calls/`, names them through `requests` (a FIFO the test process reads), waits
 * on a FIFO of its own for the exit status, then prints what the fake wrote to stdout and stderr.
 * One process per call besides the shell (mkfifo): the output is copied by the shell's own
 * `read`/`printf` (text only: a NUL byte would be lost, and no fake prints one).
 * Its standard input is not passed on: only fakes that read none are served this way.
 */
function servedLauncher(root: string, command: string): string {
  const calls = path.join(root, '.fake', 'calls');
  return [
    '#!/bin/sh',
    `# Fake ${command}, served by the test process that made this fake Mac (test/sim/mac/commandServer.ts):`,
    '# the same handler as the Node launcher runs, in that process, without a Node start per call.',
    `fake_requests=${shellQuote(path.join(calls, 'requests'))}`,
    '[ -p "$fake_requests" ] || { echo "fake: the command server is closed" >&2; exit 70; }',
    // This launcher's pid names its files: unique while it runs. The server removes them (the
    // output of a call when it answers the next call from the same pid, the rest at close).
    `fake_call=${shellQuote(path.join(calls, 'call'))}.$$`,
    'fake_n=0',
    'for fake_arg in "$@"; do',
    '\tprintf \'%s\' "$fake_arg" > "$fake_call.arg.$fake_n"',
    '\tfake_n=$((fake_n + 1))',
    'done',
    'mkfifo "$fake_call.done" 2>/dev/null || { rm -f "$fake_call.done"; mkfifo "$fake_call.done"; } || exit 70',
    // Held open for reading before the request is sent: the server's write never waits for us.
    'exec 3<>"$fake_call.done"',
    `printf '%s %s %s\\n' ${shellQuote(command)} "$fake_n" "$fake_call" >> "$fake_requests"`,
    'IFS= read -r fake_status <&3',
    'exec 3<&-',
    // Byte for byte, a last line without its newline included (read sets it, then returns false).
    'fake_copy() { while IFS= read -r fake_line; do printf \'%s\\n\' "$fake_line"; done; printf \'%s\' "$fake_line"; }',
    '[ -s "$fake_call.out" ] && fake_copy < "$fake_call.out"',
    '[ -s "$fake_call.err" ] && fake_copy < "$fake_call.err" >&2',
    'exit "$fake_status"',
    '',
  ].join('\n');
}

/** Runs a file for real with the given streams (a nested call to something that is not served). */
function spawnWith(file: string, argv: readonly string[], io: FakeIo, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(file, [...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => io.out(chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => io.err(chunk.toString('utf8')));
    child.on('error', () => resolve(1));
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15)));
  });
}

/**
 * Serves the given fake commands of a fake Mac from this process: their launchers become small
 * POSIX sh scripts that pass each call here, where the fake's handler (runtime/fake-runtime.js
 * `dispatch`, the code the Node launcher runs) answers it and records the invocation as usual.
 * For tests whose shell scripts call fakes many times (each Node launcher is a Node start):
 * the scripts still run as real processes under real shells, and every call they make is
 * still a real exec of the file at the macOS path. Limits: the caller's stdin is not passed
 * (the call records stdinUsed false), and the fake sees this process's environment plus
 * SUPERD_ROOT. The test process must not block (spawnSync) while a served fake is called.
 */
export async function serveFakeCommands(root: string, commands: readonly string[]): Promise<CommandServer> {
  const runtime = requireRuntime<FakeRuntime>('fake-runtime.js');
  const realRoot = fs.realpathSync(root);
  const calls = path.join(realRoot, '.fake', 'calls');
  fs.mkdirSync(calls, { recursive: true });
  const requests = path.join(calls, 'requests');
  fs.rmSync(requests, { force: true });
  await new Promise<void>((resolve, reject) => {
    const mk = spawn('mkfifo', [requests], { stdio: 'ignore' });
    mk.on('error', reject);
    mk.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo ${requests} exited ${code}`))));
  });
  // Read-write: this process is always a writer too, so the FIFO never reports end of file.
  const fd = fs.openSync(requests, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const socket = new net.Socket({ fd, readable: true, writable: false });
  const never = new AbortController().signal;
  const env = { ...process.env, SUPERD_ROOT: realRoot };
  const pending = new Set<Promise<void>>();

  /** Answers one call: `prefix` names its files (prefix.arg.N, prefix.done; prefix.out/err written here). */
  const answer = async (command: string, argc: number, prefix: string): Promise<void> => {
    const out: string[] = [];
    const err: string[] = [];
    let code: number;
    const argFiles = Array.from({ length: argc }, (_, i) => `${prefix}.arg.${i}`);
    try {
      const argv = argFiles.map((file) => fs.readFileSync(file, 'utf8'));
      const io: FakeIo = {
        stdin: '',
        out: (text) => void out.push(text),
        err: (text) => void err.push(text),
        env,
        signal: never,
        pid: nextPid++,
        exec: (file, execArgv, extraEnv) => spawnWith(file, execArgv, io, { ...env, ...extraEnv }),
      };
      code = await runtime.dispatch(realRoot, command, argv, io);
    } catch (error) {
      err.push(`fake ${command}: command server: ${error instanceof Error ? error.message : String(error)}\n`);
      code = 70;
    }
    try {
      for (const file of argFiles) fs.rmSync(file, { force: true });
      // An earlier launcher with the same pid may have left its output: never print it again.
      for (const [stream, text] of [['out', out], ['err', err]] as const) {
        if (text.length > 0) fs.writeFileSync(`${prefix}.${stream}`, text.join(''));
        else fs.rmSync(`${prefix}.${stream}`, { force: true });
      }
    } finally {
      // Always answered (a launcher left waiting would hang its script); a caller gone since
      // (stopped, or the root removed) is ignored.
      answerStatus(`${prefix}.done`, code);
      fs.rmSync(`${prefix}.done`, { force: true });
    }
  };

  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      // "COMMAND ARGC PREFIX": the command is a macOS path and ARGC a number, neither with a space.
      const [command = '', argc = '', ...rest] = line.split(' ');
      const job = answer(command, Number(argc), rest.join(' ')).catch(() => undefined);
      pending.add(job);
      void job.finally(() => pending.delete(job));
    }
  });

  for (const command of commands) {
    const file = fs.realpathSync(path.join(realRoot, command));
    fs.writeFileSync(file, servedLauncher(realRoot, command), { mode: 0o755 });
  }

  return {
    async close() {
      for (const command of commands) {
        let file: string;
        try {
          file = fs.realpathSync(path.join(realRoot, command));
        } catch {
          continue; // the root (or that fake) is gone already
        }
        fs.writeFileSync(file, launcher(`/${path.relative(realRoot, file)}`, command), { mode: 0o755 });
      }
      await Promise.all([...pending]);
      socket.destroy();
      fs.rmSync(calls, { recursive: true, force: true });
    },
  };
}
