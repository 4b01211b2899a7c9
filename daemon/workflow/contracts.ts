/**
 * Types shared by the parts of the update workflow that are built separately: the Mac side
 * (target, preconditions, progress from `log stream`), the Jamf side (identity, push,
 * verification) and the lifecycle machine that joins them.
 */

/** This Mac's record in Jamf Pro, and where superd learnt its id. */
export interface ComputerIdentity {
  readonly id: string;
  readonly managementId: string | null;
  readonly source: 'profile' | 'saved' | 'lookup' | 'recon';
  /**
   * Whether Jamf Pro has declarative device management on for this computer
   * (`general.declarativeDeviceManagementEnabled`); null or absent when the inventory does not say.
   */
  readonly declarativeManagement?: boolean | null;
}

/** The macOS update superd is going to install. */
export interface UpdateTarget {
  /** Marketing version, e.g. `15.6` or `26.1`. */
  readonly version: string;
  /** Build, when softwareupdate or mdmclient reported it (e.g. `24G84`). */
  readonly build: string | null;
  /** softwareupdate label, e.g. `macOS Sequoia 15.6-24G84` (the local install path needs it). */
  readonly label: string | null;
  readonly title: string;
  /** `major` when the target's major version is above the installed one. */
  readonly kind: 'minor' | 'major';
  readonly restartRequired: boolean;
}

/** What `log stream` showed about MDM commands and softwareupdated while superd waited. */
export type MacProgressEvent =
  | { readonly kind: 'mdm-command'; readonly command: string; readonly status: 'received' | 'acknowledged' | 'not-now' | 'error'; readonly detail?: string }
  | { readonly kind: 'download-progress'; readonly percent: number }
  | { readonly kind: 'prepare-progress'; readonly percent: number }
  | { readonly kind: 'restart-pending' }
  | { readonly kind: 'update-error'; readonly message: string };

/** A running `log stream` subscription. */
export interface MacProgressWatch {
  /** Registers a listener; events seen before the listener was added are replayed to it. */
  onEvent(listener: (event: MacProgressEvent) => void): void;
  /** Stops `log stream` (SIGTERM) and resolves when it has exited. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts `log stream` and resolves only once it is subscribed (its header was printed),
 * so a command sent afterwards cannot be missed (super's race, reference §9 item 8).
 */
export type StartMacProgressWatch = (signal?: AbortSignal) => Promise<MacProgressWatch>;

/** The update workflows superd can use to ask Jamf Pro for the update. */
export type MdmWorkflow = 'plans' | 'legacy' | 'ddm';
