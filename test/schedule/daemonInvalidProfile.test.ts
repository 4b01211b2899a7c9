/**
 * Issue 15: the daemon with an invalid profile records the error once and does not start a
 * worker on every tick; a corrected profile is picked up and tried again. A real daemon and
 * its real `superd run` workers (from dist/, which npm test builds first) on a fake Mac. The fake
 * macOS commands the workers run are served from this process (test/sim/mac/commandServer.ts:
 * still a real exec of each file, answered by the fake's own handler without a Node start).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readStatus, updateStatus } from '../../daemon/status/statusFile';
import { createFakeMac, serveFakeCommands, type CommandServer, type FakeMac } from '../sim/mac';
import { until } from '../helpers/waitFor';

const MAIN = path.join(__dirname, '../../dist/daemon/cli/main.js');
const withBuild = existsSync(MAIN) ? describe : describe.skip;

let mac: FakeMac;
let served: CommandServer | undefined;
let daemon: ChildProcess | undefined;
afterEach(async () => {
  if (daemon && daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
  await served?.close();
  await mac?.cleanup();
});

/** What a worker's `superd run` calls here (none reads stdin): keychain reads, then the Mac's facts and updates. */
const SERVED = ['/usr/bin/security', '/usr/sbin/sysctl', '/usr/bin/sw_vers', '/usr/sbin/ioreg', '/usr/sbin/softwareupdate', '/usr/libexec/mdmclient'];

withBuild('superd daemon with an invalid profile (real processes)', () => {
  test('one recorded error, no worker per tick, and a run again once the profile is fixed', async () => {
    mac = await createFakeMac({ managedPreferences: { 'com.github.superd': { DeferralTimerError: 'soon' } } } as never);
    served = await serveFakeCommands(mac.root, SERVED);
    // A retry left over from an earlier failure, already due: before, every tick started a worker for it.
    await updateStatus(mac.root, { state: 'deferred', nextAttempt: new Date(Date.now() - 60_000).toISOString() });
    const logFile = path.join(mac.root, 'Library/Management/superd/logs/superd.log');
    const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
    const workers = () => log().split('\n').filter((l) => /starting a run worker/.test(l)).length;

    daemon = spawn(process.execPath, [MAIN, 'daemon', '--tick-seconds=1'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, SUPERD_ROOT: mac.root }, stdio: 'ignore' });
    await until(async () => (await readStatus(mac.root)).lastError?.code === 'SUPERD_ERR_CONFIG', 'the recorded configuration error');
    const recorded = await readStatus(mac.root);
    expect(recorded).toMatchObject({ state: 'error', nextAttempt: null });
    expect(recorded.lastError!.message).toMatch(/DeferralTimerError/);
    await until(() => /run worker exited 78/.test(log()), 'the worker to exit');
    // What the worker printed reaches superd's log (launchd discards the daemon's output).
    expect(log()).toMatch(/ warn \[worker-run\] superd: Invalid configuration/);

    // Several ticks later: still the one worker. The window runs from that worker's exit until the
    // daemon logs the run the profile change requests: this wait, then the profile watcher's own
    // 2 s settle time (daemon/schedule/profileWatcher.ts), at least four 1 s ticks in all. The log's
    // order proves it, however slow the machine: no worker started between those two lines.
    const ticksLater = Date.now() + 2_000;
    await until(() => Date.now() >= ticksLater, 'two ticks');
    expect(workers()).toBe(1);

    // The admin fixes the profile: the daemon notices and runs again (this run fails later, for want of a credential).
    await mac.update({ managedPreferences: { 'com.github.superd': { DeferralTimerError: 30 } } } as never);
    await until(() => workers() >= 2, 'a run after the profile change');
    await until(async () => (await readStatus(mac.root)).lastError?.code !== 'SUPERD_ERR_CONFIG', 'the new outcome');
    const lines = log().split('\n');
    const exited = lines.findIndex((l) => /run worker exited 78/.test(l));
    const requested = lines.findIndex((l) => /run requested: managed preferences changed/.test(l));
    expect(exited).toBeGreaterThanOrEqual(0);
    expect(requested).toBeGreaterThan(exited);
    expect(lines.slice(exited, requested).filter((l) => /starting a .* worker/.test(l))).toEqual([]);
    expect(lines.slice(requested).some((l) => /starting a run worker/.test(l))).toBe(true);
    // That run went on to the Mac's commands (served here), which an invalid profile never reaches.
    expect(mac.invocations().some((i) => i.command === '/usr/bin/security')).toBe(true);
    daemon.kill('SIGTERM');
  }, 120_000);
});
