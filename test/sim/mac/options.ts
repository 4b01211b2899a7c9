import { createHash } from 'node:crypto';

/** A local account of the fake Mac. */
export interface FakeUser {
  name: string;
  password: string;
  /** Default: the first free id from 501. */
  uid?: number;
  /** Default: a stable upper-case UUID derived from the name. */
  guid?: string;
  admin?: boolean;
  secureToken?: boolean;
  /** Default: same as secureToken (listed by `diskutil apfs listcryptousers`). */
  volumeOwner?: boolean;
  disabled?: boolean;
  hidden?: boolean;
  /** Default: the name. A value with a space makes dscl print it on a second line. */
  realName?: string;
}

export interface FakeUpdate {
  /** `softwareupdate --list` label, e.g. `macOS Sequoia 15.6-24G84` (the build after the last `-`). */
  label: string;
  title: string;
  version: string;
  sizeKiB?: number;
  /** Default true. */
  recommended?: boolean;
  restart?: boolean;
  /** AvailableOSUpdates ProductKey; default `MSU_UPDATE_<build>_patch_<version>_<major|minor>` for macOS items. */
  productKey?: string;
  /** Already downloaded: install prints no progress (reference §6.4). */
  downloaded?: boolean;
  /** Overrides of this item's AvailableOSUpdates dictionary (null removes a key). */
  mdm?: Record<string, string | number | null>;
}

export interface FakeFullInstaller {
  title: string;
  version: string;
  sizeKiB: number;
  build: string;
  /** Omitted: no `Deferred:` field (seen in some captures). */
  deferred?: boolean;
}

export interface FakeCryptoUser {
  uuid: string;
  type: string;
  volumeOwner?: boolean;
}

export interface FakeConsoleSession {
  user: string;
  auditId: number;
  sessionId: number;
  onConsole: boolean;
  uid?: number;
}

export type DialogAnswer = { kind: 'ok'; text: string } | { kind: 'cancel' } | { kind: 'timeout' };

export type SoftwareUpdateOutcome = 'success' | 'authFailure' | 'hang' | 'notEnoughSpace' | 'cantConnect';

export interface FakeMacOptions {
  /** Default 15.5 / 24F74. */
  macOS?: { productVersion: string; buildVersion: string; productVersionExtra?: string };
  /** Default true. */
  appleSilicon?: boolean;
  hardwareUUID?: string;
  serialNumber?: string;
  /** Model identifier, e.g. `MacBookAir10,1` (default) or `MacBookPro16,1` (Intel default). */
  model?: string;
  /** Default: the first non-hidden user, or null (login window). */
  consoleUser?: string | null;
  users?: FakeUser[];
  /** Default: enrolled, user approved, via DEP, MDM server `https://<jss host>/mdm/ServerURL`. */
  enrollment?: { enrolled: boolean; userApproved?: boolean; dep?: boolean; mdmServer?: string };
  /** Default: supported, escrowed, valid. `valid` drives mdmclient EACSPreflight on 13.3+. */
  bootstrap?: { supported: boolean; escrowed: boolean; valid?: boolean };
  /** Default `https://example.jamfcloud.com/`; null = no jss_url (and no Jamf plist). */
  jssUrl?: string | null;
  /** Default `11.4.1-t1712591696`; null = no jamf binary. */
  jamfVersion?: string | null;
  availableUpdates?: FakeUpdate[];
  /** Answers of the password dialog, consumed in order. */
  dialog?: DialogAnswer[];
  /** Outcome of `softwareupdate --install`. Default 'success'. */
  softwareupdateInstall?: SoftwareUpdateOutcome;
  /**
   * `bootstrapFailures`: the next N `launchctl bootstrap` calls fail with launchd's catch-all
   * `Bootstrap failed: 5: Input/output error`; `bootoutPendingPolls`: after a `bootout`, the job
   * stays listed for N more `launchctl print` calls (a daemon still exiting).
   */
  launchd?: { loaded: string[]; running?: string[]; bootstrapFailures?: number; bootoutPendingPolls?: number };

  // ---- Beyond the brief: knobs for the scenarios of reference/macos-commands.md §14 ----

  /** A Rosetta-translated caller: `arch` prints i386, `sysctl.proc_translated` is 1. */
  rosetta?: boolean;
  /** Intel only: `hw.optional.arm64` is missing (default, exit 1) or prints 0. */
  intelArm64Oid?: 'missing' | 'zero';
  provisioningUDID?: string;
  computerName?: string;
  /** `jamf checkJSSConnection` succeeds (default true). */
  jssAvailable?: boolean;
  /** `<computer_id>` printed by `jamf recon`; null = none. Default 1. */
  computerId?: number | null;
  reconFails?: boolean;
  /** Overrides mdmclient's EACSPreflight: a string, or null for "key missing". */
  eacsPreflight?: string | null;
  /** mdmclient IsDefaultCatalog = 0. */
  betaCatalog?: boolean;
  /** AvailableOSUpdates formats: 'auto' (A+B through 26.2, B after), 'A+B' or 'B'. */
  mdmclientFormat?: 'auto' | 'A+B' | 'B';
  /** `hang`: `mdmclient AvailableOSUpdates` prints nothing until it is killed (a stuck softwareupdated). */
  mdmclientAvailableOSUpdates?: 'answer' | 'hang';
  fullInstallers?: FakeFullInstaller[];
  softwareupdateScan?: 'ok' | 'cantConnect' | 'couldntCommunicate';
  softwareupdateDownload?: SoftwareUpdateOutcome;
  /** Delay between `Downloading: NN%` lines (default 0). */
  progressDelayMs?: number;
  /** Extra `listcryptousers` entries (Personal Recovery User, MDM Bootstrap Token External Key, …). */
  cryptoUsers?: FakeCryptoUser[];
  cryptoDisk?: string;
  /** Full control of scutil's SessionInfo array (fast user switching). */
  consoleSessions?: FakeConsoleSession[];
  /** scutil prints `  No such key` (very early boot). */
  consoleUserKeyMissing?: boolean;
  /** What `id -u` prints for the caller (default 0: superd runs as root). */
  processUid?: number;
  idleSeconds?: number;
  /** `log stream` also prints entries emitted before it started ('replay', default) or only new ones. */
  logHistory?: 'replay' | 'new-only';
  /** Managed preference domains -> keys, written to /Library/Managed Preferences/<domain>.plist. */
  managedPreferences?: Record<string, Record<string, unknown>>;
  /** Format of the Jamf plist and managed preferences (default 'binary'; SystemVersion.plist is XML). */
  plistFormat?: 'binary' | 'xml';
}

/**
 * A user with every field filled in. The password is kept only as a hash, so that no file under
 * the root ever holds a password in clear (tests grep the root for secrets).
 */
export interface WorldUser extends Omit<Required<FakeUser>, 'password'> {
  passwordHash: string;
  home: string;
  shell: string;
}

/** The hash the fakes compare passwords with (same as runtime/context.js). */
export function passwordHash(password: string): string {
  return createHash('sha256').update(`fake-mac-password:${password}`).digest('hex');
}

/** The normalised state written to `<root>/.fake/world.json` and read by the fakes. */
export interface World {
  macOS: { productVersion: string; buildVersion: string; productVersionExtra: string | null };
  appleSilicon: boolean;
  rosetta: boolean;
  intelArm64Oid: 'missing' | 'zero';
  hardwareUUID: string;
  serialNumber: string;
  model: string;
  provisioningUDID: string | null;
  computerName: string;
  consoleUser: string | null;
  consoleUserDefaulted: boolean;
  consoleUserKeyMissing: boolean;
  consoleSessions: FakeConsoleSession[] | null;
  users: WorldUser[];
  enrollment: { enrolled: boolean; userApproved: boolean; dep: boolean; mdmServer: string };
  bootstrap: { supported: boolean; escrowed: boolean; valid: boolean };
  eacsPreflight?: string | null;
  jssUrl: string | null;
  jamfVersion: string | null;
  jssAvailable: boolean;
  computerId: number | null;
  reconFails: boolean;
  availableUpdates: FakeUpdate[];
  fullInstallers: FakeFullInstaller[];
  dialog: DialogAnswer[];
  softwareupdateInstall: SoftwareUpdateOutcome;
  softwareupdateDownload: SoftwareUpdateOutcome;
  softwareupdateScan: 'ok' | 'cantConnect' | 'couldntCommunicate';
  progressDelayMs: number;
  launchd: {
    loaded: string[]; running: string[]; paths: Record<string, string>;
    bootstrapFailures: number; bootoutPendingPolls: number; draining: Record<string, number>;
  };
  betaCatalog: boolean;
  mdmclientFormat: 'auto' | 'A+B' | 'B';
  mdmclientAvailableOSUpdates: 'answer' | 'hang';
  cryptoUsers: FakeCryptoUser[];
  cryptoDisk: string | null;
  processUid: number;
  idleSeconds: number;
  bootTime: number;
  logHistory: 'replay' | 'new-only';
  managedPreferences: Record<string, Record<string, unknown>>;
  plistFormat: 'binary' | 'xml';
  /** Set by the fake softwareupdate after `--install` (what a restart would apply). */
  restartPending?: { label: string; title: string; version: string; restart: boolean };
}

export const DEFAULT_JSS_URL = 'https://example.jamfcloud.com/';

/** A stable upper-case UUID derived from a string (default GeneratedUID of a user). */
export function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-A${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function normaliseUsers(users: Array<FakeUser | WorldUser>): WorldUser[] {
  const taken = new Set(users.map((u) => u.uid).filter((uid): uid is number => uid !== undefined));
  let next = 501;
  return users.map((user) => {
    let uid = user.uid;
    if (uid === undefined) {
      while (taken.has(next)) next += 1;
      uid = next;
      taken.add(uid);
    }
    const secureToken = user.secureToken ?? false;
    const full = user as Partial<WorldUser> & Partial<FakeUser>;
    return {
      name: user.name,
      passwordHash: full.passwordHash ?? passwordHash(full.password ?? ''),
      uid,
      guid: user.guid ?? stableUuid(`user:${user.name}`),
      admin: user.admin ?? false,
      secureToken,
      volumeOwner: user.volumeOwner ?? secureToken,
      disabled: user.disabled ?? false,
      hidden: user.hidden ?? false,
      realName: user.realName ?? user.name,
      home: full.home ?? `/Users/${user.name}`,
      shell: full.shell ?? '/bin/zsh',
    };
  });
}

function mdmServerFor(jssUrl: string | null): string {
  try {
    return `https://${new URL(jssUrl ?? DEFAULT_JSS_URL).host}/mdm/ServerURL`;
  } catch {
    return 'https://example.jamfcloud.com/mdm/ServerURL';
  }
}

/**
 * Fills in defaults. `previous` is the current world when called from update(): nested objects
 * in the patch replace the current ones wholesale (then get their defaults), everything else
 * keeps its current value.
 */
export function normaliseOptions(options: FakeMacOptions, previous?: World): World {
  // The previous world is a superset of the options (with nulls where options use undefined).
  const base = { ...(previous as unknown as FakeMacOptions | undefined), ...options } as FakeMacOptions &
    Partial<Pick<World, 'bootTime' | 'restartPending'>> & { launchd?: { paths?: Record<string, string> } };
  const appleSilicon = base.appleSilicon ?? true;
  const users = normaliseUsers(base.users ?? []);
  const consoleUserGiven = options.consoleUser !== undefined || (previous !== undefined && !previous.consoleUserDefaulted);
  const consoleUser = consoleUserGiven ? (base.consoleUser ?? null) : (users.find((u) => !u.hidden)?.name ?? null);
  const jssUrl = base.jssUrl === undefined ? DEFAULT_JSS_URL : base.jssUrl;
  const enrollment: NonNullable<FakeMacOptions['enrollment']> = base.enrollment ?? { enrolled: true };
  const bootstrap: NonNullable<FakeMacOptions['bootstrap']> = base.bootstrap ?? { supported: true, escrowed: true };
  const launchd: NonNullable<FakeMacOptions['launchd']> & { paths?: Record<string, string>; draining?: Record<string, number> } = base.launchd ?? { loaded: [] };
  const world: World = {
    macOS: {
      productVersion: base.macOS?.productVersion ?? '15.5',
      buildVersion: base.macOS?.buildVersion ?? '24F74',
      productVersionExtra: base.macOS?.productVersionExtra ?? null,
    },
    appleSilicon,
    rosetta: base.rosetta ?? false,
    intelArm64Oid: base.intelArm64Oid ?? 'missing',
    hardwareUUID: base.hardwareUUID ?? 'A1B2C3D4-E5F6-4789-8ABC-DEF012345678',
    serialNumber: base.serialNumber ?? (appleSilicon ? 'FVFFAKE0Q6L4' : 'C02FAKE0MD6M'),
    model: base.model ?? (appleSilicon ? 'MacBookAir10,1' : 'MacBookPro16,1'),
    provisioningUDID: base.provisioningUDID ?? null,
    computerName: base.computerName ?? 'Fake Mac',
    consoleUser,
    consoleUserDefaulted: !consoleUserGiven,
    consoleUserKeyMissing: base.consoleUserKeyMissing ?? false,
    consoleSessions: base.consoleSessions ?? null,
    users,
    enrollment: {
      enrolled: enrollment.enrolled,
      userApproved: enrollment.userApproved ?? true,
      dep: enrollment.dep ?? true,
      mdmServer: enrollment.mdmServer ?? mdmServerFor(jssUrl),
    },
    bootstrap: { supported: bootstrap.supported, escrowed: bootstrap.escrowed, valid: bootstrap.valid ?? true },
    jssUrl,
    jamfVersion: base.jamfVersion === undefined ? '11.4.1-t1712591696' : base.jamfVersion,
    jssAvailable: base.jssAvailable ?? true,
    computerId: base.computerId === undefined ? 1 : base.computerId,
    reconFails: base.reconFails ?? false,
    availableUpdates: (base.availableUpdates ?? []).map((u) => ({ ...u })),
    fullInstallers: base.fullInstallers ?? [],
    dialog: [...(base.dialog ?? [])],
    softwareupdateInstall: base.softwareupdateInstall ?? 'success',
    softwareupdateDownload: base.softwareupdateDownload ?? 'success',
    softwareupdateScan: base.softwareupdateScan ?? 'ok',
    progressDelayMs: base.progressDelayMs ?? 0,
    launchd: {
      loaded: [...launchd.loaded],
      running: [...(launchd.running ?? [])],
      paths: { ...(launchd.paths ?? {}) },
      bootstrapFailures: launchd.bootstrapFailures ?? 0,
      bootoutPendingPolls: launchd.bootoutPendingPolls ?? 0,
      draining: { ...(launchd.draining ?? {}) },
    },
    betaCatalog: base.betaCatalog ?? false,
    mdmclientFormat: base.mdmclientFormat ?? 'auto',
    mdmclientAvailableOSUpdates: base.mdmclientAvailableOSUpdates ?? 'answer',
    cryptoUsers: base.cryptoUsers ?? [],
    cryptoDisk: base.cryptoDisk ?? null,
    processUid: base.processUid ?? 0,
    idleSeconds: base.idleSeconds ?? 0,
    bootTime: base.bootTime ?? Math.floor(Date.now() / 1000) - 3600 + 0.123456,
    logHistory: base.logHistory ?? 'replay',
    managedPreferences: base.managedPreferences ?? {},
    plistFormat: base.plistFormat ?? 'binary',
  };
  if (base.eacsPreflight !== undefined) world.eacsPreflight = base.eacsPreflight;
  if (base.restartPending !== undefined) world.restartPending = base.restartPending;
  return world;
}
