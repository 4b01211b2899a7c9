import { DoctorChecksDifferError, UsageError } from '../../errors';
import { ExitStatus, exitStatusFor } from '../../exitStatus';
import { superdRoot } from '../../host/paths';
import { createRunCommand, type RunCommand } from '../../host/runCommand';
import { DOCTOR_CHECKS } from '../../doctor/checkList';
import { renderJson, renderText } from '../../doctor/render';
import { runDoctor } from '../../doctor/runner';
import type { Output } from '../output';
import { optionName } from '../argumentName';

/**
 * `superd doctor [--json]`: runs every macOS command form superd uses, harmlessly, through
 * superd's own adapters and parsers, and reports each as confirmed, differs or skipped. Sends
 * nothing to Jamf Pro and leaves nothing behind. Exit 0 when nothing differs, else 78.
 * `deps.run` (tests only) replaces the process-spawning command runner; main() never passes it.
 */
export async function doctorCommand(args: readonly string[], output: Output, deps: { run?: RunCommand } = {}): Promise<number> {
  const json = args.includes('--json');
  const unknown = args.filter((a) => a !== '--json');
  if (unknown.length > 0) throw new UsageError(`superd doctor takes only --json; got ${unknown.map((a) => optionName(a, args.indexOf(a) + 1)).join(', ')}`);
  const root = superdRoot();
  // The System keychain and the unified-log checks need root, as superd itself runs.
  if (root === '/' && process.getuid?.() !== 0) output.err('superd doctor: not running as root; the keychain and log checks will differ. Run it with sudo.');
  const report = await runDoctor({ run: deps.run ?? createRunCommand(root), root, checks: DOCTOR_CHECKS });
  output.out(json ? renderJson(report) : renderText(report));
  const differing = report.checks.filter((c) => c.result === 'differs').map((c) => c.id);
  return differing.length === 0 ? ExitStatus.ok : exitStatusFor(new DoctorChecksDifferError(differing));
}
