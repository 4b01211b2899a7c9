import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFakeMac, runFake, serveThroughNodeShim, type NodeShimServer, type FakeMac } from './index';

// test/sim/mac/nodeShimServer.ts: a served fake answers exactly as its Node launcher does.

let mac: FakeMac;
let server: NodeShimServer;
const served = () => ({ PATH: `${server.binDir}:${process.env.PATH ?? ''}` });

beforeEach(async () => {
  mac = await createFakeMac({ users: [{ name: 'jdoe', password: 'Jdoe-Pass-4821', admin: true, secureToken: true }] });
  server = serveThroughNodeShim(mac.root);
});
afterEach(async () => {
  server.close();
  await mac.cleanup();
});

test('stdout, stderr, exit status and stdin as the launcher gives them; the invocation is recorded', async () => {
  const cases: [string, string[], string?][] = [
    ['/usr/bin/security', ['find-generic-password', '-a', 'missing', '-s', 'superd', '-w']],
    ['/usr/bin/security', ['-i'], 'add-generic-password -a one -s superd -w "a b"\nfind-generic-password -a one -s superd -w\n'],
    ['/usr/bin/dscl', ['.', '-read', '/Users/jdoe', 'UniqueID']],
    ['/usr/bin/sw_vers', []],
  ];
  for (const [command, args, stdin] of cases) {
    const before = mac.invocations().length;
    const viaServer = await runFake(mac.root, command, args, { stdin, env: served() });
    expect(mac.invocations().slice(before)).toEqual([expect.objectContaining({ command, argv: args, stdinUsed: stdin !== undefined })]);
    if (command === '/usr/bin/security' && args[0] === '-i') {
      fs.writeFileSync(path.join(mac.root, '.fake', 'keychain.json'), '[]');
    }
    expect(viaServer).toEqual(await runFake(mac.root, command, args, { stdin }));
  }
});

test('a command not served runs on Node', async () => {
  const before = mac.invocations().length;
  const result = await runFake(mac.root, '/usr/bin/logger', ['-t', 'superd', 'hello'], { env: served() });
  expect(result.code).toBe(0);
  expect(mac.invocations().slice(before)).toEqual([expect.objectContaining({ command: '/usr/bin/logger' })]);
});

test('a served security told to block records its own shell pid and waits until that shell is killed', async () => {
  fs.writeFileSync(path.join(mac.root, '.fake', 'security-block.json'), JSON.stringify({ write: 1, when: 'before' }));
  const blockedFile = path.join(mac.root, '.fake', 'security-blocked.json');
  const appeared = new Promise<void>((resolve) => {
    const watcher = fs.watch(path.dirname(blockedFile), () => {
      if (fs.existsSync(blockedFile)) {
        watcher.close();
        resolve();
      }
    });
  });
  const run = runFake(mac.root, '/usr/bin/security', ['add-generic-password', '-a', 'x', '-s', 'superd', '-w', 'v'], { env: served(), timeoutMs: 600_000 });
  await appeared;
  const blocked = JSON.parse(fs.readFileSync(blockedFile, 'utf8')) as { pid: number; write: number; when: string };
  expect(blocked).toMatchObject({ write: 1, when: 'before' });
  process.kill(blocked.pid, 'SIGKILL');
  expect((await run).code).toBeNull();
  expect(mac.keychain()).toEqual([]);
});
