import type { CommandResult, RunCommand } from '../host/runCommand';
import { redactText } from '../log/redactText';
import type { SecretRegistry } from '../log/secretRegistry';

/** One command a check ran: argv and what came back. Standard input is never kept. */
export interface RecordedCall {
  readonly argv: readonly string[];
  result?: CommandResult;
  error?: string;
  /** Started by the check itself (not through the runner); its output is judged in the note. */
  direct?: boolean;
}

/** Wraps a runner so that every call of one check is recorded for the report. */
export function recordingRunner(run: RunCommand, calls: RecordedCall[]): RunCommand {
  return async (command, args, options) => {
    const call: RecordedCall = { argv: [command, ...args] };
    calls.push(call);
    try {
      call.result = await run(command, args, options);
      return call.result;
    } catch (error) {
      call.error = error instanceof Error ? error.message : String(error);
      throw error;
    }
  };
}

/** The most of one check's output the report keeps. */
export const SEEN_LIMIT = 2_000;
export const MASK = '<hidden by superd doctor>';

/**
 * Values that identify this Mac, its users or their devices: the report goes to an issue tracker,
 * so they are masked wherever they appear as `Key = value` (mdmclient), `"Key" = "value"` (ioreg)
 * or `Key: value`. The format stays visible; only the value goes.
 */
const IDENTIFYING_KEYS = [
  'IOPlatformSerialNumber', 'IOPlatformUUID', 'serial-number', 'SerialNumber', 'UDID', 'ProvisioningUDID',
  'DeviceName', 'HostName', 'LocalHostName', 'EthernetMAC', 'BluetoothMAC', 'WiFiMAC', 'IMEI', 'MEID', 'EASDeviceIdentifier',
];
const IDENTIFYING_FIELD = new RegExp(`(["']?)(${IDENTIFYING_KEYS.join('|')})\\1(\\s*[=:]\\s*)(?:"[^"\\n]*"|<[^>\\n]*>|[^;\\s][^;\\n]*)`, 'g');

/** Redacts one piece of text for the report: secrets, credentials, identifiers; then truncates. */
export function redactSeen(text: string, secrets: SecretRegistry, identifiers: readonly string[], limit = SEEN_LIMIT): string {
  let out = redactText(text, secrets);
  out = out.replace(IDENTIFYING_FIELD, (_m, quote: string, key: string, sep: string) => `${quote}${key}${quote}${sep}${MASK}`);
  for (const id of identifiers) if (id.length >= 4) out = out.split(id).join(MASK);
  if (out.length > limit) out = `${out.slice(0, limit)}\n… (${out.length - limit} more characters left out)`;
  return out;
}

/** `exit 0`, then standard output and standard error of each call, for the report. */
export function describeCalls(calls: readonly RecordedCall[]): string {
  return calls
    .map((call) => {
      const head = calls.length > 1 ? `$ ${call.argv.join(' ')}\n` : '';
      if (call.direct) return `${head}(output read by superd doctor as it came; see the note)`;
      if (!call.result) return `${head}not run to the end: ${call.error ?? 'no answer'}`;
      const parts = [`exit ${call.result.exitCode ?? 'none (stopped by a signal)'}`];
      if (call.result.stdout.trim() !== '') parts.push(`stdout:\n${call.result.stdout.replace(/\n+$/, '')}`);
      if (call.result.stderr.trim() !== '') parts.push(`stderr:\n${call.result.stderr.replace(/\n+$/, '')}`);
      return head + parts.join('\n');
    })
    .join('\n');
}
