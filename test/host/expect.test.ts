import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expectScript } from '../../daemon/host/expect';

// The generated script run by a real expect (Debian's `expect` package; macOS ships
// /usr/bin/expect) against a prompter that reads from its terminal, not stdin, with echo off for
// the password, the way readpassphrase(3) does. Skipped when expect is not installed.
const REAL_EXPECT = '/usr/bin/expect';
const haveExpect = existsSync(REAL_EXPECT) && process.platform !== 'darwin';
if (!haveExpect) console.warn('test/host/expect.test.ts: /usr/bin/expect is not installed (apt-get install expect); the real-expect checks are skipped.');
const withExpect = haveExpect ? describe : describe.skip;

const PASSWORD = 'S3cret-pw-7781';
const PROMPTER = `#!/bin/sh
printf 'Enter the admin user name:' > /dev/tty
read -r name < /dev/tty
printf "Enter the password for user '%s':" "$name" > /dev/tty
stty -echo < /dev/tty
read -r pw < /dev/tty
stty echo < /dev/tty
printf '\\n' > /dev/tty
if [ "$pw" = "$EXPECTED" ]; then echo "ok for $name: $pw"; exit 0; fi
echo "wrong password for $name"; exit 3
`;

function runExpect(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(REAL_EXPECT, ['-c', script], { env: { PATH: '/usr/bin:/bin', ...env }, timeout: 60_000 }, (error, stdout) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout });
    });
    child.stdin?.end();
  });
}

withExpect('a real expect runs the generated script', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'superd-expect-'));
    writeFileSync(path.join(dir, 'prompter'), PROMPTER);
    chmodSync(path.join(dir, 'prompter'), 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const prompts = (password: string) => [
    { prompt: 'Enter the admin user name:', answer: 'admin1', secret: false },
    { prompt: 'Enter the password for user ', answer: password, secret: true },
  ];

  test('answers both terminal prompts from the environment; the secret is masked in what is printed and is not in the script', async () => {
    const script = expectScript([path.join(dir, 'prompter')], prompts(PASSWORD), 30);
    expect(script).not.toContain(PASSWORD);
    const r = await runExpect(script, { SUPERD_ANSWER_0: 'admin1', SUPERD_ANSWER_1: PASSWORD, EXPECTED: PASSWORD });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok for admin1: ********');
    expect(r.stdout).not.toContain(PASSWORD);
  });

  test("the command's exit status is expect's", async () => {
    const r = await runExpect(expectScript([path.join(dir, 'prompter')], prompts('wrong-one'), 30), { SUPERD_ANSWER_0: 'admin1', SUPERD_ANSWER_1: 'wrong-one', EXPECTED: PASSWORD });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('wrong password for admin1');
  });

  test('a command that ends before its prompt: 125 and what it printed', async () => {
    const r = await runExpect(expectScript(['/bin/echo', 'profiles: nothing to ask'], prompts(PASSWORD), 30), { SUPERD_ANSWER_0: 'admin1', SUPERD_ANSWER_1: PASSWORD });
    expect(r.code).toBe(125);
    expect(r.stdout).toMatch(/profiles: nothing to ask[\s\S]*ended before the prompt "Enter the admin user name:"/);
  });
});

test('texts that would break the Tcl word are refused', () => {
  expect(() => expectScript(['/usr/bin/profiles'], [{ prompt: 'a}b', answer: 'x', secret: true }], 5)).toThrow(/braces/);
});
