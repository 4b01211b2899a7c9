import { SUPERD_ID } from '../../buildInfo';
import { readHardwareIdentity, IOREG } from '../../host/ioreg';
import { isServiceLoaded } from '../../host/launchctl';
import { consoleUser } from '../../host/scutil';
import { readMacOSVersion, SW_VERS } from '../../host/sw_vers';
import { isAppleSilicon, SYSCTL } from '../../host/sysctl';
import { capture } from './capture';
import { confirmed, differs, skipped, type DoctorCheck } from '../types';

export const swVersCheck: DoctorCheck = {
  id: 'sw-vers',
  command: [SW_VERS],
  expected: 'ProductVersion and BuildVersion lines (reference/macos-commands.md §1.1)',
  boundMs: 30_000,
  async run(ctx) {
    const v = await readMacOSVersion(ctx.run, ctx.signal);
    ctx.state.macOS = v;
    return confirmed(`macOS ${v.productVersion}${v.productVersionExtra ? ` ${v.productVersionExtra}` : ''} (${v.buildVersion})`);
  },
};

export const sysctlArm64Check: DoctorCheck = {
  id: 'sysctl-arm64',
  command: [SYSCTL, '-n', 'hw.optional.arm64'],
  expected: 'exit 0 and exactly 1 (Apple silicon)',
  boundMs: 30_000,
  async run(ctx) {
    if (await isAppleSilicon(ctx.run, ctx.signal)) return confirmed('Apple silicon');
    return differs('superd reads this Mac as not Apple silicon, and superd supports only Apple silicon Macs');
  },
};

export const ioregCheck: DoctorCheck = {
  id: 'ioreg-platform',
  command: [IOREG, '-rd1', '-c', 'IOPlatformExpertDevice'],
  expected: '"IOPlatformUUID" = "…" and "IOPlatformSerialNumber" = "…" properties',
  boundMs: 30_000,
  async run(ctx) {
    ctx.state.identity = await readHardwareIdentity(ctx.run, ctx.signal);
    return confirmed('hardware UUID and serial number read (hidden in this report)');
  },
};

const SCUTIL_INPUT = 'show State:/Users/ConsoleUser';

export const scutilCheck: DoctorCheck = {
  id: 'scutil-console-user',
  command: ['/usr/sbin/scutil'],
  expected: `"  Name : USER" and "  UID : N" lines for "${SCUTIL_INPUT}" on standard input`,
  boundMs: 30_000,
  async run(ctx) {
    const c = capture(ctx.run);
    const user = await consoleUser(c.run, ctx.signal);
    ctx.state.consoleUser = user?.name ?? null;
    if (user) return confirmed(`console user ${user.name} (uid ${user.uid})`);
    const text = c.text();
    // At the login window scutil still prints the dictionary, with `Name : loginwindow` (reference §8.1).
    if (/^ {2}Name : /m.test(text)) return confirmed('nobody is logged in at the console (login window or root)');
    return differs('no "  Name : …" line: superd cannot tell who is logged in');
  },
};

export const launchctlCheck: DoctorCheck = {
  id: 'launchctl-print',
  command: ['/bin/launchctl', 'print', `system/${SUPERD_ID}`],
  expected: `exit 0 while superd's LaunchDaemon ${SUPERD_ID} is loaded`,
  boundMs: 30_000,
  async run(ctx) {
    if (await isServiceLoaded(ctx.run, SUPERD_ID, ctx.signal)) return confirmed(`${SUPERD_ID} is loaded in the system domain`);
    return skipped(`${SUPERD_ID} is not loaded on this Mac (not installed yet, or booted out), so the loaded form cannot be checked; run superd doctor again after installing the package`);
  },
};
