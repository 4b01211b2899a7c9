import type { CheckReport, DoctorReport } from './types';

/** `superd doctor --json`: one object, stable field names (docs/admin-guide.md). */
export function renderJson(report: DoctorReport): string {
  return JSON.stringify(report, null, 2);
}

const WIDTH = 'confirmed'.length;

/** `superd doctor`: one block per check, what was seen only where it differs, then the summary. */
export function renderText(report: DoctorReport): string {
  const lines = [`superd doctor: superd ${report.superdVersion} on macOS ${report.macOSVersion ?? '(unknown: sw_vers failed)'}`, ''];
  for (const check of report.checks) lines.push(...checkLines(check));
  const s = report.summary;
  lines.push(`Summary: ${s.confirmed} confirmed, ${s.differs} differ, ${s.skipped} skipped (of ${report.checks.length}).`);
  if (s.differs > 0) lines.push('Some command forms differ from what superd expects: please send this report (superd doctor --json) to superd\'s maintainers.');
  return lines.join('\n');
}

function checkLines(check: CheckReport): string[] {
  const pad = ' '.repeat(WIDTH + 2);
  const lines = [`${check.result.padEnd(WIDTH)}  ${check.id}: ${check.command.join(' ')}`, `${pad}${check.note}`];
  if (check.result === 'differs') {
    lines.push(`${pad}expected: ${check.expected}`);
    if (check.seen !== '') lines.push(`${pad}seen:`, ...check.seen.split('\n').map((l) => `${pad}  | ${l}`));
  }
  return lines;
}
