import * as fs from 'node:fs';
import * as path from 'node:path';
import type { World } from './options';

/** plist 5 is ESM-only: load it once (async) so that FakeMac.update() can stay synchronous. */
export function loadPlist() {
  return import('plist');
}

type PlistModule = Awaited<ReturnType<typeof loadPlist>>;
type PlistValue = Parameters<PlistModule['build']>[0];

export const JAMF_PLIST = '/Library/Preferences/com.jamfsoftware.jamf.plist';
export const SYSTEM_VERSION_PLIST = '/System/Library/CoreServices/SystemVersion.plist';
export const MANAGED_PREFERENCES = '/Library/Managed Preferences';

function write(plist: PlistModule, file: string, value: Record<string, unknown>, format: 'binary' | 'xml'): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const data = format === 'binary' ? Buffer.from(plist.buildBinary(value as PlistValue)) : plist.build(value as PlistValue);
  fs.writeFileSync(file, data, { mode: 0o644 });
}

function systemVersion(world: World): Record<string, unknown> {
  const major = Number(world.macOS.productVersion.split('.')[0]);
  const year = 2000 + (major >= 26 ? major - 1 : major + 9);
  return {
    BuildID: world.macOS.buildVersion,
    ProductBuildVersion: world.macOS.buildVersion,
    ProductCopyright: `1983-${year} Apple Inc.`,
    ProductName: 'macOS',
    ProductUserVisibleVersion: world.macOS.productVersion,
    ProductVersion: world.macOS.productVersion,
    iOSSupportVersion: `${major >= 26 ? major : major + 3}.${world.macOS.productVersion.split('.')[1] ?? '0'}`,
  };
}

/** Writes (or removes) the plists the world implies: SystemVersion, Jamf, managed preferences. */
export function syncPlists(plist: PlistModule, root: string, world: World): void {
  write(plist, path.join(root, SYSTEM_VERSION_PLIST), systemVersion(world), 'xml');

  const jamfFile = path.join(root, JAMF_PLIST);
  if (world.jssUrl === null) fs.rmSync(jamfFile, { force: true });
  else write(plist, jamfFile, { jss_url: world.jssUrl, verifySSLCert: 'always_except_during_enrollment', allowInvalidCertificate: false }, world.plistFormat);

  const managedDir = path.join(root, MANAGED_PREFERENCES);
  fs.mkdirSync(managedDir, { recursive: true });
  const wanted = new Set(Object.keys(world.managedPreferences).map((domain) => `${domain}.plist`));
  for (const name of fs.readdirSync(managedDir)) {
    if (name.endsWith('.plist') && !wanted.has(name)) fs.rmSync(path.join(managedDir, name), { force: true });
  }
  for (const [domain, keys] of Object.entries(world.managedPreferences)) {
    write(plist, path.join(managedDir, `${domain}.plist`), keys, world.plistFormat);
  }
}
