import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createRunCommand } from '../../daemon/host/runCommand';
import { hostPath } from '../../daemon/host/paths';
import { CommandAbortedError, CommandNotFoundError, CommandTimeoutError } from '../../daemon/errors';
import { makeTempRoot } from '../helpers/tempRoot';

let root: string;
let cleanup: () => Promise<void>;

async function script(macPath: string, body: string): Promise<void> {
  const file = path.join(root, macPath);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
}

beforeAll(async () => {
  ({ root, cleanup } = await makeTempRoot());
  await script('/usr/bin/echoargs', 'for a in "$@"; do printf "[%s]" "$a"; done; echo; echo err >&2; exit 3');
  await script('/usr/bin/readstdin', 'read line; echo "got ${#line} chars"');
  await script('/usr/bin/sleeper', 'sleep 30');
  await script('/usr/bin/env-dump', 'echo "LANG=${LANG:-unset} COMPAT=${SYSTEM_VERSION_COMPAT:-unset}"');
});
afterAll(() => cleanup());

describe('runCommand: the one runner every adapter uses', () => {
  test('resolves the absolute macOS path under SUPERD_ROOT and passes arguments without a shell', async () => {
    const run = createRunCommand(root);
    const r = await run('/usr/bin/echoargs', ['a b', '$(id)', "'q'", ';ls'], { timeoutMs: 5000 });
    expect(r).toEqual({ stdout: "[a b][$(id)]['q'][;ls]\n", stderr: 'err\n', exitCode: 3 });
  });

  test('writes stdin and closes it', async () => {
    const r = await createRunCommand(root)('/usr/bin/readstdin', [], { timeoutMs: 5000, stdin: 'hello\n' });
    expect(r.stdout).toBe('got 5 chars\n');
  });

  test('a timeout stops the command with a typed error that never carries stdin', async () => {
    const error = await createRunCommand(root)('/usr/bin/sleeper', [], { timeoutMs: 100, stdin: 'SECRET-PASSWORD-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandTimeoutError);
    expect(error).toMatchObject({ code: 'SUPERD_ERR_COMMAND_TIMEOUT', command: '/usr/bin/sleeper' });
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain('SECRET-PASSWORD-1');
  });

  test('an AbortSignal cancels the command', async () => {
    const controller = new AbortController();
    const pending = createRunCommand(root)('/usr/bin/sleeper', [], { timeoutMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(CommandAbortedError);
    await expect(createRunCommand(root)('/usr/bin/sleeper', [], { timeoutMs: 10_000, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CommandAbortedError);
  });

  test('a missing command is a CommandNotFoundError naming it', async () => {
    await expect(createRunCommand(root)('/usr/sbin/nothere', [], { timeoutMs: 1000 })).rejects.toMatchObject({
      code: 'SUPERD_ERR_COMMAND_NOT_FOUND',
      command: '/usr/sbin/nothere',
    });
    await expect(createRunCommand(root)('/usr/sbin/nothere', [], { timeoutMs: 1000 })).rejects.toBeInstanceOf(CommandNotFoundError);
  });

  test('the child does not inherit locale or SYSTEM_VERSION_COMPAT', async () => {
    process.env.LANG = 'de_DE.UTF-8';
    process.env.SYSTEM_VERSION_COMPAT = '1';
    try {
      const r = await createRunCommand(root)('/usr/bin/env-dump', [], { timeoutMs: 5000 });
      expect(r.stdout).toBe('LANG=unset COMPAT=unset\n');
    } finally {
      delete process.env.LANG;
      delete process.env.SYSTEM_VERSION_COMPAT;
    }
  });

  test('hostPath refuses relative paths and maps absolute ones under the root', async () => {
    expect(() => hostPath('usr/bin/x', root)).toThrow(/absolute/);
    expect(hostPath('/usr/bin/x', '/')).toBe('/usr/bin/x');
    expect(hostPath('/Library/Managed Preferences/a.plist', root)).toBe(path.join(root, 'Library/Managed Preferences/a.plist'));
    expect(await readFile(hostPath('/usr/bin/echoargs', root), 'utf8')).toContain('printf');
  });
});
