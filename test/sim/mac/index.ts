/**
 * The fake Mac: a temporary SUPERD_ROOT with executable fakes of the macOS commands superd runs
 * (design.md §3), configured per test. See README notes in fakeMac.ts and runtime/*.js.
 */
export { createFakeMac, FAKE_COMMANDS } from './fakeMac';
export type { FakeMac, Invocation, KeychainItem } from './fakeMac';
export type {
  FakeMacOptions, FakeUser, FakeUpdate, FakeFullInstaller, FakeCryptoUser, FakeConsoleSession,
  DialogAnswer, SoftwareUpdateOutcome, World, WorldUser,
} from './options';
export { stableUuid } from './options';
export {
  formatLogLine, parseLogLine, mdmIdleLines, mdmStatusLines, mdmCommandLines, progressMessage,
  softwareupdateProgressLines, preflightLines, downloadProgressLines, prepareProgressLines, restartPendingLines,
} from './logLines';
export type {
  LogEntry, LogEntryFields, LogStyle, LogLineOptions, MdmRequestType, MdmCommandStatus, SoftwareUpdatePhase, ProgressReport,
} from './logLines';
export { runFake } from './run';
export { createInProcessRunCommand } from './inProcessRunner';
export type { InProcessRunOptions } from './inProcessRunner';
export { logDelivered } from './logDelivered';
export type { FakeRunResult, FakeRunOptions } from './run';
export { serveFakeCommands } from './commandServer';
export type { CommandServer } from './commandServer';
export { serveThroughNodeShim, QUICK_COMMANDS } from './nodeShimServer';
export type { NodeShimServer } from './nodeShimServer';
