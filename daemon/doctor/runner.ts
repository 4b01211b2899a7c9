import { randomBytes } from 'node:crypto';
import { SUPERD_VERSION } from '../buildInfo';
import { CommandAbortedError, CommandNotFoundError, CommandTimeoutError, SuperdError } from '../errors';
import type { RunCommand } from '../host/runCommand';
import { SecretRegistry } from '../log/secretRegistry';
import { describeCalls, recordingRunner, redactSeen, type RecordedCall } from './seen';
import type { CheckOutcome, CheckReport, DoctorCheck, DoctorReport, DoctorState } from './types';
import { differs, skipped } from './types';

export interface RunDoctorOptions {
  readonly run: RunCommand;
  readonly root: string;
  readonly checks: readonly DoctorCheck[];
  readonly platform?: NodeJS.Platform;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Runs the checks one after another (they share the Mac's commands and what they learned). */
export async function runDoctor(options: RunDoctorOptions): Promise<DoctorReport> {
  const state: DoctorState = {};
  const secrets = new SecretRegistry();
  const token = randomBytes(8).toString('hex');
  const checks: CheckReport[] = [];
  for (const check of options.checks) {
    const calls: RecordedCall[] = [];
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), check.boundMs);
    timer.unref();
    let outcome: CheckOutcome;
    try {
      outcome = await check.run({
        run: recordingRunner(options.run, calls),
        signal: controller.signal,
        state,
        root: options.root,
        platform: options.platform ?? process.platform,
        secrets,
        token,
        sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
        note: (argv) => void calls.push({ argv: [...argv], direct: true }),
      });
    } catch (error) {
      outcome = controller.signal.aborted ? skipped(`no answer within ${check.boundMs / 1000} s; run superd doctor again later`) : outcomeOfError(error);
    } finally {
      clearTimeout(timer);
    }
    const identifiers = state.identity ? [state.identity.hardwareUUID, state.identity.serialNumber] : [];
    const ran = mainCall(check, calls);
    checks.push({
      id: check.id,
      command: (ran ?? check.command).map((word) => redactSeen(word, secrets, identifiers)),
      result: outcome.result,
      expected: check.expected,
      seen: calls.length === 0 ? '' : redactSeen(describeCalls(calls), secrets, identifiers),
      note: redactSeen(outcome.note, secrets, identifiers),
    });
  }
  const count = (r: CheckReport['result']) => checks.filter((c) => c.result === r).length;
  const v = state.macOS;
  return {
    superdVersion: SUPERD_VERSION,
    macOSVersion: v ? `${v.productVersion}${v.productVersionExtra ? ` ${v.productVersionExtra}` : ''} (${v.buildVersion})` : null,
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    summary: { confirmed: count('confirmed'), differs: count('differs'), skipped: count('skipped') },
    checks,
  };
}

/** The call the check is about: the last one of its declared command and verb, else the last. */
function mainCall(check: DoctorCheck, calls: readonly RecordedCall[]): readonly string[] | undefined {
  const [command, verb] = check.command;
  const same = calls.filter((c) => c.argv[0] === command && (verb === undefined || c.argv[1] === verb));
  return (same[same.length - 1] ?? calls[calls.length - 1])?.argv;
}

/** An adapter's typed error is a `differs` (its own message says what it saw); a bug says so. */
function outcomeOfError(error: unknown): CheckOutcome {
  if (error instanceof CommandTimeoutError || error instanceof CommandAbortedError) return skipped(`${error.message}; run superd doctor again later`);
  if (error instanceof CommandNotFoundError) return differs(error.message);
  if (error instanceof SuperdError) return differs(`${error.message} [${error.code}]`);
  return differs(`superd doctor failed on this check (a bug; please report it): ${error instanceof Error ? error.message : String(error)}`);
}
