import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireRuntime, type FakeIo, type FakeRuntime } from './runtimeDir';
import { answerStatus, shellQuote } from './servedCall';

/**
 * Fake macOS commands for a *real* superd process, each still a real process superd spawns,
 * pipes to, waits for and can kill, but served by this (the test's) process: no Node start per
 * command (a Node process costs ~0.1 s here, a shell one a few ms).
 *
 * How. Every launcher createFakeMac writes starts with `#!/usr/bin/env node`, and superd gives
 * its commands its own PATH first (daemon/host/runCommand.ts childEnv). So a superd started with
 * `PATH=<server.binDir>:…` runs the launcher through this server's `node`: a POSIX sh script that,
 * for a served command under the root, writes its arguments and standard input into a request
 * folder, announces it, and waits on a FIFO for the exit status; this process runs the same
 * handler a launcher runs (runtime/fake-runtime.js `dispatch`, which records the invocation as
 * a launch does) and answers with stdout, stderr and status. Anything else (a command not in
 * `commands`, a file outside the root) runs on the real Node, as before.
 *
 * The served fake's pid is the shell's: a fake that waits until it is killed (the keychain
 * kill-point hook in runtime/cmd-security.js) leaves that shell waiting, so superd waits on a
 * real process that the test kills. Only commands that end by themselves should be served: a
 * served handler is not stopped when superd stops its shell (a timeout), it just finishes.
 */
export interface NodeShimServer {
  /** Put first on superd's PATH. */
  readonly binDir: string;
  close(): void;
}

/** The commands the keychain-replacement runs use, all of which end on their own. */
export const QUICK_COMMANDS = [
  '/usr/bin/security', '/usr/bin/dscl', '/usr/sbin/dseditgroup', '/usr/sbin/diskutil', '/usr/sbin/sysadminctl',
  '/usr/bin/id', '/usr/sbin/scutil', '/usr/bin/sw_vers', '/usr/sbin/sysctl', '/usr/sbin/ioreg', '/usr/bin/arch',
  '/usr/bin/profiles', '/usr/bin/plutil',
] as const;

function shim(root: string, serveDir: string, commands: readonly string[]): string {
  return [
    '#!/bin/sh',
    '# `node` for a superd under test (test/sim/mac/nodeShimServer.ts): served fakes go to the test process.',
    `ROOT=${shellQuote(root)}`,
    `SERVE=${shellQuote(serveDir)}`,
    `NODE=${shellQuote(process.execPath)}`,
    'rel=${1#"$ROOT"}',
    'case $rel in',
    `  ${commands.map(shellQuote).join('|')}) ;;`,
    '  *) exec "$NODE" "$@" ;;',
    'esac',
    '[ "$rel" != "$1" ] || exec "$NODE" "$@"',
    'shift',
    'd=$(mktemp -d "$SERVE/c.XXXXXX") || exit 70',
    'i=0',
    'for a do',
    '  printf %s "$a" > "$d/a$i"',
    '  i=$((i + 1))',
    'done',
    'cat > "$d/in"',
    'mkfifo "$d/done" || exit 70',
    '# Read and write: the open does not wait for the server, which finds a reader when it answers.',
    'exec 3<>"$d/done"',
    'printf "%s\\n%s\\n%s\\n" "$$" "$rel" "$i" > "$d/req"',
    ': > "$SERVE/q/${d##*/}"',
    'read -r code <&3',
    'cat "$d/out"',
    'cat "$d/err" >&2',
    'rm -rf "$d"',
    'exit "$code"',
    '',
  ].join('\n');
}

/** Serves `commands` of the fake Mac at `root` to any superd whose PATH starts with `binDir`. */
export function serveThroughNodeShim(root: string, commands: readonly string[] = QUICK_COMMANDS): NodeShimServer {
  const runtime = requireRuntime<FakeRuntime>('fake-runtime.js');
  const realRoot = fs.realpathSync(root);
  const serveDir = fs.mkdtempSync(path.join(os.tmpdir(), 'superd-serve-'));
  const binDir = path.join(serveDir, 'bin');
  const queue = path.join(serveDir, 'q');
  fs.mkdirSync(binDir);
  fs.mkdirSync(queue);
  fs.writeFileSync(path.join(binDir, 'node'), shim(root, serveDir, commands), { mode: 0o755 });

  const answer = (dir: string, code: number, out: string, err: string) => {
    let answered = false;
    try {
      fs.writeFileSync(path.join(dir, 'out'), out);
      fs.writeFileSync(path.join(dir, 'err'), err);
      answered = answerStatus(path.join(dir, 'done'), code);
    } catch {
      // The shell is gone and its folder with it (removed, or a test's root cleaned up).
    }
    // The shell removes its folder after reading the answer; when it cannot, nobody will.
    if (!answered) fs.rmSync(dir, { recursive: true, force: true });
  };

  const serve = (name: string) => {
    const dir = path.join(serveDir, name);
    const [pid = '', command = '', argc = ''] = fs.readFileSync(path.join(dir, 'req'), 'utf8').split('\n');
    const argv = Array.from({ length: Number(argc) }, (_, i) => fs.readFileSync(path.join(dir, `a${i}`), 'utf8'));
    const out: string[] = [];
    const err: string[] = [];
    const io: FakeIo = {
      stdin: fs.readFileSync(path.join(dir, 'in'), 'utf8'),
      out: (text: string) => void out.push(text),
      err: (text: string) => void err.push(text),
      env: { SUPERD_ROOT: root, PATH: '/usr/bin:/bin:/usr/sbin:/sbin' },
      signal: new AbortController().signal,
      pid: Number(pid),
      exec: () => Promise.resolve(1),
      // A fake may wait until killed: the shell holds superd, not this process.
      canWait: true,
    };
    runtime.dispatch(realRoot, command, argv, io).then(
      (code) => answer(dir, code, out.join(''), err.join('')),
      (error: unknown) => answer(dir, 70, out.join(''), `${err.join('')}fake ${command}: ${String(error)}\n`),
    );
  };

  const drain = () => {
    // Synchronous: an announcement is removed before the next event can list it again.
    for (const name of fs.readdirSync(queue)) {
      fs.rmSync(path.join(queue, name), { force: true });
      try {
        serve(name);
      } catch {
        // The shell is gone (a test killed it): nobody waits for an answer.
      }
    }
  };
  const watcher = fs.watch(queue, drain);
  drain();
  return {
    binDir,
    close() {
      watcher.close();
      fs.rmSync(serveDir, { recursive: true, force: true });
    },
  };
}
