import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createFakeMac, type FakeMac } from '../sim/mac';
import { createRunCommand } from '../../daemon/host/runCommand';
import { ESCROW_PROMPTS, escrowBootstrapToken } from '../../daemon/host/profilesBootstrapEscrow';
import { findSecrets } from '../helpers/secretScan';

const PASSWORD = 'Admin-Pass-3390';
let mac: FakeMac | undefined;
afterEach(async () => {
  if (!mac) return;
  expect(findSecrets([PASSWORD], mac.root)).toEqual([]);
  expect(mac.invocations().some((i) => i.argv.some((a) => a.includes(PASSWORD)))).toBe(false);
  await mac.cleanup();
  mac = undefined;
});

const world = () => createFakeMac({ users: [{ name: 'admin1', password: PASSWORD, admin: true, secureToken: true }], bootstrap: { supported: true, escrowed: false } });

test('the prompts superd waits for are the real ones', () => {
  const lines = readFileSync(path.join(__dirname, '../fixtures/macos/profiles-install/bootstraptoken-prompts.txt'), 'utf8').split('\n');
  expect(lines).toContain(ESCROW_PROMPTS.user);
  expect(lines.some((l) => l.startsWith(ESCROW_PROMPTS.password))).toBe(true);
});

test('escrow through expect: profiles gets its prompts answered on a terminal, the password never in argv', async () => {
  mac = await world();
  const r = await escrowBootstrapToken(createRunCommand(mac.root), 'admin1', PASSWORD);
  expect(r.ok).toBe(true);
  expect(r.message).toMatch(/^profiles: Bootstrap Token escrowed/);
  const calls = mac.invocations();
  const viaExpect = calls.find((i) => i.command === '/usr/bin/expect')!;
  expect(viaExpect.argv[0]).toBe('-c');
  expect(viaExpect.argv[1]).toContain('SUPERD_ANSWER_1');
  const profiles = calls.find((i) => i.command === '/usr/bin/profiles')!;
  expect(profiles.argv).toEqual(['install', '-type', 'bootstraptoken']);
  expect(profiles.stdinUsed).toBe(true);
  expect(mac.world().bootstrap).toMatchObject({ escrowed: true });
});

test('a refused escrow: not ok, with the line profiles printed, never the password', async () => {
  mac = await world();
  const r = await escrowBootstrapToken(createRunCommand(mac.root), 'admin1', 'Not-The-Password-9');
  expect(r.ok).toBe(false);
  expect(r.message).toMatch(/^profiles: Bootstrap Token escrow failed/);
  expect(mac.world().bootstrap).toMatchObject({ escrowed: false });
});
