/**
 * `npm run demo`: superd's main job on this machine, against a fake Mac (and, once the
 * workflow lands, the Jamf Pro simulator). Each step prints what it did and how long it took.
 * Until the update workflow exists (issue 5) the demo stops after settings and host checks.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { main, type Output } from '../daemon/cli/main';
import { createFakeMac } from '../test/sim/mac';

const started = process.hrtime.bigint();
const elapsed = () => `${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0).padStart(5)} ms`;
const step = (text: string) => console.log(`[${elapsed()}] ${text}`);
const indent: Output = {
  out: (t) => console.log(t.replace(/^/gm, '           | ')),
  err: (t) => console.log(t.replace(/^/gm, '           ! ')),
};

async function demo(): Promise<number> {
  step('Laying out a fake Apple silicon Mac (macOS 15.5) under a temporary SUPERD_ROOT');
  const mac = await createFakeMac({
    macOS: { productVersion: '15.5', buildVersion: '24F74' },
    appleSilicon: true,
    jssUrl: 'https://jamf.example.com/',
    jamfVersion: '11.30.0',
  });
  process.env.SUPERD_ROOT = mac.root;
  try {
    step(`SUPERD_ROOT=${mac.root}`);

    step('Installing a configuration profile (com.github.superd) as an MDM would');
    const { build } = await import('plist');
    const managed = path.join(mac.root, 'Library/Managed Preferences/com.github.superd.plist');
    await mkdir(path.dirname(managed), { recursive: true });
    await writeFile(managed, build({ DeferralTimerDefault: '120', AuthMDMFailoverToUser: 'NOSERVICE,BOOTSTRAP', VerboseMode: true }));

    step('superd run, as a Jamf Pro policy calls it: "/" "Mac-042" "jdoe" then one option per parameter');
    const status = await main(['/', 'Mac-042', 'jdoe', '--deferral-timer-error=30', '--deferral-timer-default=15', '', '--mdm-workflow=auto', '', ''], indent);
    step(`superd run exited ${status}`);

    step('Saved settings written by the run:');
    console.log((await readFile(path.join(mac.root, 'Library/Management/superd/com.github.superd.plist'), 'utf8')).replace(/^/gm, '           | '));

    step('An invalid option is refused, and nothing is saved:');
    const refused = await main(['run', '--deferral-timer-error=1'], indent);
    step(`superd run exited ${refused} (64: invalid options)`);

    step('superd status --json');
    await main(['status', '--json'], indent);

    const commands = mac.invocations().map((i) => `${i.command} ${i.argv.join(' ')}`);
    step(`macOS commands superd ran (${commands.length}):`);
    for (const c of commands) console.log(`           | ${c}`);
    step('Done. The Jamf Pro update workflow is not part of this build yet (issue 5); the demo stops after settings and host checks.');
    return status;
  } finally {
    delete process.env.SUPERD_ROOT;
    await mac.cleanup();
  }
}

demo().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 70;
  },
);
