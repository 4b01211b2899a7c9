import type { Dispatcher } from 'undici';
import { runCommand as superdRun } from '../../daemon/cli/commands/run';
import { reportError } from '../../daemon/cli/reportError';
import { KeychainSecretStore, SUPERD_KEYCHAIN } from '../../daemon/auth/keychainSecretStore';
import { createRunCommand } from '../../daemon/host/runCommand';
import { createJamfAgent } from '../../daemon/jamf/jamfAgent';
import { readStatus } from '../../daemon/status/statusFile';
import { createFakeMac, createInProcessRunCommand, logDelivered, type FakeMac, type FakeMacOptions } from '../sim/mac';
import { openTestSim, type TestSim } from '../sim/jamf/testSetup';
import type { JamfSimOptions } from '../sim/jamf';
import { coupleWorld } from '../sim/world';
import { captureOutput } from './captureOutput';

export const UPDATE_15_6 = { label: 'macOS Sequoia 15.6-24G84', title: 'macOS Sequoia 15.6', version: '15.6', restart: true };

/**
 * One world for `superd run` tests: the Jamf Pro simulator with the standard fixtures, a fake
 * Mac whose hardware UUID is the simulator's computer, the two coupled (plans show up in the
 * Mac's log), and a run function that drives time with the simulator's clock.
 *
 * The fake macOS commands run in this process (test/sim/mac/inProcessRunner.ts): the same
 * handlers, without a Node process per command. `realProcesses: true` spawns every command as
 * superd does on a Mac (end-to-end tests keep a few runs that way). Pass `runCommand` to the
 * other command entry points (`credentials heartbeat`, `jamf-account rotate`) a test drives.
 *
 * `ddm` is Jamf Pro's `declarativeDeviceManagementEnabled` for this computer. It is off unless a
 * test turns it on, so the auto workflow takes the MDM plans path most tests exercise; with it on,
 * auto prefers DDM plans on macOS 14+ (daemon/workflow/chooseWorkflow.ts, test/workflow/autoWorkflow.test.ts).
 */
export async function openRunWorld(opts: { sim?: JamfSimOptions; mac?: FakeMacOptions; toggle?: boolean; ddm?: boolean; realProcesses?: boolean; commandWaitMs?: number; dispatcher?: (agent: Dispatcher) => Dispatcher } = {}) {
  const t: TestSim = await openTestSim({ version: '11.30.0', ...opts.sim });
  t.sim.control.setFeatureToggle(opts.toggle ?? true);
  t.sim.control.setAvailableUpdates({ macOS: ['26.1', '15.7', '15.6'] });
  const computer = t.sim.control.updateComputer(t.fx.computer.id, { osVersion: '15.5', osBuild: '24F74', declarativeDeviceManagementEnabled: opts.ddm ?? false });
  const mac: FakeMac = await createFakeMac({
    hardwareUUID: computer.udid,
    macOS: { productVersion: '15.5', buildVersion: '24F74' },
    jssUrl: `${t.sim.url}/`,
    availableUpdates: [UPDATE_15_6],
    logHistory: 'new-only',
    ...opts.mac,
  } as FakeMacOptions);
  const uncouple = coupleWorld(mac, t.sim, { udid: computer.udid, managementId: computer.managementId, deviceId: String(computer.id) });
  const agent = createJamfAgent({ ca: t.sim.ca });
  const runCommand = opts.realProcesses ? createRunCommand(mac.root) : createInProcessRunCommand(mac.root);
  const store = new KeychainSecretStore({ run: runCommand, ...SUPERD_KEYCHAIN });
  const previousRoot = process.env.SUPERD_ROOT;
  process.env.SUPERD_ROOT = mac.root;
  const outputs: string[] = [];

  /** Called at every wait of the run (after the clock moved): tests inject mid-run events here. */
  const hooks: { onWait?: (waits: number) => void | Promise<void> } = {};
  let waits = 0;
  /**
   * The simulated clock: a wait advances the simulator's time (plans progress, and the coupled
   * Mac logs what they did), then returns once superd's `log stream` has delivered those lines,
   * so a run sees the Mac's side before its next wait however slow the machine is.
   */
  const sleep = async (ms: number) => {
    t.sim.clock.advance(ms);
    waits += 1;
    await hooks.onWait?.(waits);
    await logDelivered(mac.root);
  };

  return {
    t,
    sim: t.sim,
    fx: t.fx,
    mac,
    store,
    runCommand,
    computer,
    outputs,
    hooks,
    async saveClient(credentials = t.fx.superdClient) {
      await store.set('jamf_client', credentials.clientId);
      await store.set('jamf_secret', credentials.clientSecret);
    },
    async run(argv: string[] = ['run'], stdin?: string) {
      const output = captureOutput();
      const { Readable } = await import('node:stream');
      // As main() does: the one top-level catch chooses the exit status.
      const status = await superdRun(argv.slice(argv[0] === 'run' ? 1 : 0), output, {
        // A test may put something between superd and the simulator (test/jamf/faultTable.test.ts).
        dispatcher: opts.dispatcher ? opts.dispatcher(agent) : agent,
        now: () => new Date(t.sim.clock.now()),
        sleep,
        // A hanging macOS command is waited for this long (real time) before the run goes on.
        ...(opts.commandWaitMs !== undefined ? { commandWait: (_ms: number, signal: AbortSignal) => new Promise<void>((r) => { const t = setTimeout(r, opts.commandWaitMs); signal.addEventListener('abort', () => { clearTimeout(t); r(); }, { once: true }); }) } : {}),
        env: { SUPERD_ROOT: mac.root },
        runCommand,
        stdin: stdin === undefined ? undefined : Readable.from([stdin]),
      }).catch((error: unknown) => reportError(error, output));
      outputs.push(output.stdout(), output.stderr());
      return { status, stdout: output.stdout(), stderr: output.stderr() };
    },
    status: () => readStatus(mac.root),
    requests: (method?: string, pathPart?: string) => t.sim.requests.filter((r) => (!method || r.method === method) && (!pathPart || r.path.includes(pathPart))),
    async close() {
      uncouple();
      await agent.close();
      await t.close();
      await mac.cleanup();
      if (previousRoot === undefined) delete process.env.SUPERD_ROOT;
      else process.env.SUPERD_ROOT = previousRoot;
    },
  };
}
export type RunWorld = Awaited<ReturnType<typeof openRunWorld>>;
