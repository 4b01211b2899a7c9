/**
 * superd beside super, on the fake Mac and the Jamf Pro simulator: while super's LaunchDaemon is
 * loaded a run pushes nothing and ends with super-daemon-loaded (exit 78); `superd
 * migrate-from-super` takes super's credential and settings, moves its LaunchDaemon aside and
 * boots it out, after which the run proceeds; `--undo` gives the Mac back; without super it is
 * a no-op. Every step is idempotent.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { KeychainSecretStore, SUPER_KEYCHAIN } from '../../daemon/auth/keychainSecretStore';
import { migrateFromSuperCommand } from '../../daemon/cli/commands/migrateFromSuper';
import { reportError } from '../../daemon/cli/reportError';
import { readPlistDict } from '../../daemon/config/readPlist';
import { hostPath, superdPaths } from '../../daemon/host/paths';
import { SUPER_LABEL, superPaths } from '../../daemon/host/superInstall';
import { createJamfAgent } from '../../daemon/jamf/jamfAgent';
import { MIGRATION_RECORD, SUPER_PLIST_ASIDE } from '../../daemon/migration/superMigration';
import { captureOutput } from '../helpers/captureOutput';
import { findSecrets } from '../helpers/secretScan';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';

jest.setTimeout(120_000);

let w: RunWorld;
afterEach(() => w.close());

/**
 * super's LaunchDaemon as super's installer writes it (`Macjutsu/super:super` L3666–L3687,
 * reference/super-behaviour.md §6.2): Label com.macjutsu.super, ProgramArguments super-starter,
 * UserName root, AbandonProcessGroup, RunAtLoad, StartInterval 60; mode 644.
 */
const SUPER_LAUNCHD_PLIST = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>com.macjutsu.super</string>
	<key>ProgramArguments</key>
	<array>
		<string>/Library/Management/super/super-starter</string>
	</array>
	<key>UserName</key>
	<string>root</string>
	<key>AbandonProcessGroup</key>
	<true/>
	<key>RunAtLoad</key>
	<true/>
	<key>StartInterval</key>
	<integer>60</integer>
</dict>
</plist>
`;

/**
 * super's local settings and state (`/Library/Management/super/com.macjutsu.super.plist`,
 * reference/super-behaviour.md §6.3, §6.5): option values under their profile key names, plus
 * status keys superd has no use for. DeferralTimerError here is not a number of minutes.
 */
const SUPER_SETTINGS = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>DeferralTimerDefault</key>
	<integer>120</integer>
	<key>DeferralTimerError</key>
	<string>soon</string>
	<key>VerboseMode</key>
	<true/>
	<key>SuperStatus</key>
	<string>Thu Dec 03 10:00:00: Pending: Waiting for deferral, trying again in 120 minutes.</string>
	<key>NextAutoLaunch</key>
	<string>2026-12-03:12:00:00</string>
	<key>SuperVersion</key>
	<string>5.1.0</string>
</dict>
</plist>
`;

const file = (macPath: string) => hostPath(macPath, w.mac.root);
const superLoaded = () => w.mac.world().launchd.loaded.includes(SUPER_LABEL);

async function installSuper(opts: { loaded: boolean; credential?: { id: string; secret: string } }) {
  writeFileSync(file(superPaths.launchDaemon), SUPER_LAUNCHD_PLIST);
  chmodSync(file(superPaths.launchDaemon), 0o644);
  mkdirSync(file(superPaths.folder), { recursive: true });
  writeFileSync(file(superPaths.settings), SUPER_SETTINGS);
  if (opts.loaded) w.mac.update({ launchd: { loaded: [...w.mac.world().launchd.loaded, SUPER_LABEL], running: [] } });
  if (opts.credential) {
    const superStore = new KeychainSecretStore({ run: w.runCommand, ...SUPER_KEYCHAIN });
    await superStore.set('jamf_client', opts.credential.id);
    await superStore.set('jamf_secret', opts.credential.secret);
  }
}

async function migrate(args: string[] = []) {
  const output = captureOutput();
  const agent = createJamfAgent({ ca: w.t.sim.ca });
  try {
    const status = await migrateFromSuperCommand(args, output, {
      dispatcher: agent,
      now: () => new Date(w.t.sim.clock.now()),
      sleep: async () => undefined,
      env: { SUPERD_ROOT: w.mac.root },
      runCommand: w.runCommand,
    }).catch((error: unknown) => reportError(error, output));
    w.outputs.push(output.stdout(), output.stderr());
    return { status, stdout: output.stdout(), stderr: output.stderr() };
  } finally {
    await agent.close();
  }
}

const launchctlCalls = (verb: string) => w.mac.invocations().filter((i) => i.command === '/bin/launchctl' && i.argv[0] === verb);

test('super loaded: the run pushes nothing and ends with super-daemon-loaded (exit 78), in output, status and log', async () => {
  w = await openRunWorld();
  await w.saveClient();
  await installSuper({ loaded: true });
  const r = await w.run();
  expect(r.status).toBe(78);
  expect(`${r.stdout}${r.stderr}`).toMatch(/super's LaunchDaemon \(com\.macjutsu\.super\) is loaded/);
  expect(`${r.stdout}${r.stderr}`).toMatch(/superd migrate-from-super/);
  expect(w.requests('POST', '/managed-software-updates/plans')).toHaveLength(0);
  const status = await w.status();
  expect(status).toMatchObject({ state: 'error', lastError: { code: 'super-daemon-loaded' } });
  const log = readFileSync(file(`${superdPaths.logs}/superd.log`), 'utf8');
  expect(log).toMatch(/super-daemon-loaded/);
  // super itself untouched.
  expect(superLoaded()).toBe(true);
  expect(existsSync(file(superPaths.launchDaemon))).toBe(true);
});

test('migrate: credential validated and saved, settings validated and taken, plist moved aside, daemon booted out; the run proceeds; a second migrate changes nothing', async () => {
  w = await openRunWorld();
  await installSuper({ loaded: true, credential: { id: w.fx.superdClient.clientId, secret: w.fx.superdClient.clientSecret } });

  const m = await migrate();
  expect(m.status).toBe(0);
  expect(m.stdout).toMatch(/validated and saved under superd's names \(jamf-client\)/);
  expect(m.stdout).toMatch(/Settings taken from super: DeferralTimerDefault, VerboseMode\./);
  expect(m.stderr).toMatch(/DeferralTimerError in \/Library\/Management\/super\/com\.macjutsu\.super\.plist not migrated: must be/);
  expect(m.stdout).toMatch(/Unloaded super's daemon/);

  expect(superLoaded()).toBe(false);
  expect(launchctlCalls('bootout').map((i) => i.argv)).toEqual([['bootout', `system/${SUPER_LABEL}`]]);
  expect(existsSync(file(superPaths.launchDaemon))).toBe(false);
  expect(readFileSync(file(SUPER_PLIST_ASIDE), 'utf8')).toBe(SUPER_LAUNCHD_PLIST);
  expect(await w.store.get('jamf_client')).toBe(w.fx.superdClient.clientId);
  expect(await readPlistDict(file(superdPaths.savedSettings))).toEqual({ DeferralTimerDefault: 120, VerboseMode: true });
  expect(JSON.parse(readFileSync(file(MIGRATION_RECORD), 'utf8'))).toMatchObject({ superWasLoaded: true, plistMoved: true, credentialMethod: 'jamf-client', settingsAdded: ['DeferralTimerDefault', 'VerboseMode'] });

  const again = await migrate();
  expect(again.status).toBe(0);
  expect(again.stdout).toMatch(/already migrated on .*Nothing to do/);
  expect(launchctlCalls('bootout')).toHaveLength(1);

  const r = await w.run();
  expect(r.status).toBe(0);
  expect(w.requests('POST', '/managed-software-updates/plans')).toHaveLength(1);
  expect(findSecrets([w.fx.superdClient.clientSecret], w.mac.root, w.outputs)).toEqual([]);
});

test('undo: super\'s LaunchDaemon back in place and bootstrapped; superd refuses to push again; a second undo is a no-op', async () => {
  w = await openRunWorld();
  await w.saveClient();
  await installSuper({ loaded: true });
  expect((await migrate()).status).toBe(0);
  expect(superLoaded()).toBe(false);

  const u = await migrate(['--undo']);
  expect(u.status).toBe(0);
  expect(u.stdout).toMatch(/Moved .* back to \/Library\/LaunchDaemons\/com\.macjutsu\.super\.plist/);
  expect(u.stdout).toMatch(/Loaded super's daemon again/);
  expect(readFileSync(file(superPaths.launchDaemon), 'utf8')).toBe(SUPER_LAUNCHD_PLIST);
  expect(existsSync(file(SUPER_PLIST_ASIDE))).toBe(false);
  expect(existsSync(file(MIGRATION_RECORD))).toBe(false);
  expect(superLoaded()).toBe(true);
  expect(launchctlCalls('bootstrap').map((i) => i.argv)).toEqual([['bootstrap', 'system', superPaths.launchDaemon]]);

  const again = await migrate(['--undo']);
  expect(again.status).toBe(0);
  expect(again.stdout).toMatch(/nothing to undo/);
  expect(launchctlCalls('bootstrap')).toHaveLength(1);

  expect((await w.run()).status).toBe(78);
});

test('no super on this Mac: migrate is a no-op with a message, and touches nothing', async () => {
  w = await openRunWorld();
  const m = await migrate();
  expect(m.status).toBe(0);
  expect(m.stdout).toMatch(/is not on this Mac and com\.macjutsu\.super is not loaded: nothing to migrate/);
  expect(launchctlCalls('bootout')).toHaveLength(0);
  expect(existsSync(file(MIGRATION_RECORD))).toBe(false);
  expect(existsSync(path.dirname(file(MIGRATION_RECORD)))).toBe(false);
});

test("super's credential rejected by Jamf Pro: exit 77 and nothing of super is touched", async () => {
  w = await openRunWorld();
  await installSuper({ loaded: true, credential: { id: w.fx.superdClient.clientId, secret: 'not-the-secret-0000' } });
  const m = await migrate();
  expect(m.status).toBe(77);
  expect(superLoaded()).toBe(true);
  expect(existsSync(file(superPaths.launchDaemon))).toBe(true);
  expect(existsSync(file(MIGRATION_RECORD))).toBe(false);
  expect(await w.store.get('jamf_client')).toBeNull();
  expect(findSecrets(['not-the-secret-0000'], w.mac.root, w.outputs)).toEqual([]);
});

test('unknown arguments are a usage error (64)', async () => {
  w = await openRunWorld();
  const m = await migrate(['--force']);
  expect(m.status).toBe(64);
  expect(m.stderr).toMatch(/takes only --undo; got "--force"/);
});
