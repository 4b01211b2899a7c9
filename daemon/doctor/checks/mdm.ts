import { versionAtLeast } from '../../version';
import { CommandNotFoundError } from '../../errors';
import { checkJssConnection, jamfBinaryVersion } from '../../host/jamfBinary';
import { availableOSUpdates, queryDeviceInformation } from '../../host/mdmclient';
import { readBootstrapTokenStatus, readMdmEnrollment } from '../../host/profiles';
import { capture } from './capture';
import { confirmed, differs, skipped, type DoctorCheck } from '../types';

const JAMF = '/usr/local/bin/jamf';
const MDMCLIENT = '/usr/libexec/mdmclient';

export const jamfVersionCheck: DoctorCheck = {
  id: 'jamf-version',
  command: [JAMF, '-version'],
  expected: 'a version=N.N.N… line',
  boundMs: 60_000,
  async run(ctx) {
    const c = capture(ctx.run);
    const version = await jamfBinaryVersion(c.run, ctx.signal);
    if (version) return confirmed(`jamf binary ${version}`);
    if (c.errors.some((e) => e instanceof CommandNotFoundError)) return differs(`${JAMF} is not there: superd needs the Jamf Pro binary (is this Mac enrolled in Jamf Pro?)`);
    return differs('no version=N.N.N line: superd cannot read the jamf binary\'s version');
  },
};

export const jamfConnectionCheck: DoctorCheck = {
  id: 'jamf-check-connection',
  command: [JAMF, 'checkJSSConnection'],
  expected: 'exit 0 and "The JSS is available."',
  boundMs: 90_000,
  async run(ctx) {
    // The jamf binary checks its own server; superd itself sends nothing to Jamf Pro here.
    if (await checkJssConnection(ctx.run, ctx.signal)) return confirmed('the jamf binary reaches Jamf Pro');
    return differs('no "The JSS is available." line: Jamf Pro is unreachable from this Mac, or the wording changed');
  },
};

export const enrollmentCheck: DoctorCheck = {
  id: 'profiles-enrollment',
  command: ['/usr/bin/profiles', 'status', '-type', 'enrollment'],
  expected: 'an "MDM enrollment: Yes|No…" line (and "Enrolled via DEP: …")',
  boundMs: 60_000,
  async run(ctx) {
    const c = capture(ctx.run);
    const e = await readMdmEnrollment(c.run, ctx.signal);
    // The parser reads a missing line as "not enrolled"; only a printed line confirms the form
    // (`MDM enrollment: Yes (User Approved)` / `No`, reference/macos-commands.md §4.1).
    if (!/^MDM enrollment:/m.test(c.text())) return differs('no "MDM enrollment:" line: superd would read this Mac as not enrolled');
    return confirmed(`enrolled: ${e.enrolled ? 'yes' : 'no'}, user approved: ${e.userApproved ? 'yes' : 'no'}, via Automated Device Enrollment: ${e.viaDEP ? 'yes' : 'no'}`);
  },
};

export const bootstrapTokenCheck: DoctorCheck = {
  id: 'profiles-bootstraptoken',
  command: ['/usr/bin/profiles', 'status', '-type', 'bootstraptoken'],
  expected: '"Bootstrap Token supported on server: YES|NO" and "Bootstrap Token escrowed to server: YES|NO" lines',
  boundMs: 60_000,
  async run(ctx) {
    const c = capture(ctx.run);
    const b = await readBootstrapTokenStatus(c.run, ctx.signal);
    // `profiles: Bootstrap Token supported on server: YES` and `… escrowed to server: YES|NO` (reference §4.2).
    const text = c.text();
    if (!/Bootstrap Token supported on server:\s*(YES|NO)/i.test(text) || !/Bootstrap Token escrowed to server:\s*(YES|NO)/i.test(text)) {
      return differs('the two "Bootstrap Token … server: YES|NO" lines are not both there: superd would read the token as not escrowed');
    }
    return confirmed(`supported on server: ${b.supported ? 'yes' : 'no'}, escrowed: ${b.escrowed ? 'yes' : 'no'}`);
  },
};

export const deviceInformationCheck: DoctorCheck = {
  id: 'mdmclient-device-information',
  command: [MDMCLIENT, 'QueryDeviceInformation'],
  expected: 'a "QueryResponses = { Key = value; … }" dictionary (EACSPreflight on macOS 13.3 and later)',
  boundMs: 90_000,
  async run(ctx) {
    const info = await queryDeviceInformation(ctx.run, ctx.signal);
    const keys = Object.keys(info);
    if (keys.length === 0) return differs('superd read no key from the QueryResponses dictionary');
    const preflight = info.EACSPreflight;
    const needsPreflight = ctx.state.macOS ? versionAtLeast(ctx.state.macOS.productVersion, '13.3') : false;
    if (preflight === undefined && needsPreflight) return differs(`superd read ${keys.length} keys but no EACSPreflight, which macOS 13.3 and later report`);
    return confirmed(`${keys.length} keys read${preflight !== undefined ? `, EACSPreflight = ${preflight}` : ''}`);
  },
};

export const availableOSUpdatesCheck: DoctorCheck = {
  id: 'mdmclient-available-os-updates',
  command: [MDMCLIENT, 'AvailableOSUpdates'],
  expected: 'an "Available updates" line, then one "=== OS Update Item ===" block per update',
  boundMs: 90_000,
  async run(ctx) {
    const c = capture(ctx.run);
    const updates = await availableOSUpdates(c.run, ctx.signal);
    const macOS = ctx.state.macOS?.productVersion;
    if (updates === null) {
      if (macOS && versionAtLeast(macOS, '27')) return skipped(`macOS ${macOS} no longer has this verb (as expected from macOS 27); superd then relies on softwareupdate --list`);
      return differs('no "Available updates" line (or a non-zero exit): superd reads this as "verb gone", which it expects only from macOS 27');
    }
    const blocks = c.text().split('=== OS Update Item ===').length - 1;
    if (blocks !== updates.length) return differs(`superd read ${updates.length} of the ${blocks} "OS Update Item" blocks printed`);
    return confirmed(updates.length === 0 ? 'no update offered' : `${updates.length} update(s): ${updates.map((u) => u.version).join(', ')}`);
  },
};
