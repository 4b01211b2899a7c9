import type { HardwareIdentity } from '../host/ioreg';
import type { RunCommand } from '../host/runCommand';
import type { MacOSVersion } from '../host/sw_vers';
import type { SecretRegistry } from '../log/secretRegistry';

/** `confirmed`: superd's own adapter and parser accepted what this Mac printed. */
export type CheckResult = 'confirmed' | 'differs' | 'skipped';

/** What one check concluded; the runner adds the command, the expectation and what was seen. */
export interface CheckOutcome {
  readonly result: CheckResult;
  /** One sentence: what was found (confirmed), what is wrong (differs), or why not run (skipped). */
  readonly note: string;
}

/** What earlier checks learned and later ones use (the runner runs checks in list order). */
export interface DoctorState {
  macOS?: MacOSVersion;
  identity?: HardwareIdentity;
  consoleUser?: string | null;
  /** The keychain test item was written (so reading and deleting it mean something). */
  keychainItemWritten?: boolean;
  /** The random value written to the keychain test item (registered as a secret). */
  keychainValue?: string;
  /** How the unified-log test line was written (`logger` or `helper`), once it was. */
  logLineSink?: 'logger' | 'helper';
}

export interface CheckContext {
  /** Runs a macOS command; every call is recorded for the report (argv and output, never stdin). */
  readonly run: RunCommand;
  /** Aborted when the check's time bound passes. */
  readonly signal: AbortSignal;
  readonly state: DoctorState;
  /** SUPERD_ROOT: `/` on a real Mac. */
  readonly root: string;
  readonly platform: NodeJS.Platform;
  /** Values that must never reach the report (test passwords, keychain test value). */
  readonly secrets: SecretRegistry;
  /** A unique, unguessable token for this doctor run (unified-log marker). */
  readonly token: string;
  /** Waits between retries (injected so tests never sleep). */
  readonly sleep: (ms: number) => Promise<void>;
  /** Records a command the check ran without the runner (the `log stream` child). */
  readonly note: (argv: readonly string[]) => void;
}

/** One harmless use of one macOS command form superd relies on. Checks are data: see checkList.ts. */
export interface DoctorCheck {
  readonly id: string;
  /** The argv the check runs (shown when it was skipped before running anything). */
  readonly command: readonly string[];
  /** What superd's parser needs to see, in words. */
  readonly expected: string;
  /** Upper bound for the whole check; past it the check is `skipped` (no answer in time). */
  readonly boundMs: number;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

export interface CheckReport {
  readonly id: string;
  /** argv as run (absolute macOS path first); never a secret (secrets travel on stdin). */
  readonly command: readonly string[];
  readonly result: CheckResult;
  readonly expected: string;
  /** Exit status, standard output and standard error as seen: redacted and truncated. */
  readonly seen: string;
  readonly note: string;
}

export interface DoctorReport {
  readonly superdVersion: string;
  /** `15.5 (24F74)`, or null when sw_vers could not be read. */
  readonly macOSVersion: string | null;
  readonly generatedAt: string;
  readonly summary: { readonly confirmed: number; readonly differs: number; readonly skipped: number };
  readonly checks: readonly CheckReport[];
}

export const confirmed = (note: string): CheckOutcome => ({ result: 'confirmed', note });
export const differs = (note: string): CheckOutcome => ({ result: 'differs', note });
export const skipped = (note: string): CheckOutcome => ({ result: 'skipped', note });
