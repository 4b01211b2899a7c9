/**
 * The world the demo and the bench run superd in: the Jamf Pro simulator (11.30.0, plans
 * feature on, macOS 15.6 offered) and a fake Apple silicon Mac on macOS 15.5 that is the
 * simulator's computer, coupled so that plans show up in the Mac's unified log.
 */
import { Readable } from 'node:stream';
import { runCommand } from '../daemon/cli/commands/run';
import type { Output } from '../daemon/cli/output';
import { reportError } from '../daemon/cli/reportError';
import { createJamfAgent } from '../daemon/jamf/jamfAgent';
import { openTestSim } from '../test/sim/jamf/testSetup';
import { createFakeMac } from '../test/sim/mac';
import { coupleWorld } from '../test/sim/world';

export async function openPushWorld() {
  const { sim, fx, close } = await openTestSim({ version: '11.30.0' });
  sim.control.setFeatureToggle(true);
  sim.control.setAvailableUpdates({ macOS: ['15.6', '15.5'] });
  // DDM off for this computer: auto takes the MDM plans path, whose push is verified to the end
  // (a DDM plan ends the run at "scheduled"), so the demo and the bench measure a whole push.
  const computer = sim.control.updateComputer(fx.computer.id, { osVersion: '15.5', osBuild: '24F74', declarativeDeviceManagementEnabled: false });
  const mac = await createFakeMac({
    hardwareUUID: computer.udid,
    macOS: { productVersion: '15.5', buildVersion: '24F74' },
    jssUrl: `${sim.url}/`,
    availableUpdates: [{ label: 'macOS Sequoia 15.6-24G84', title: 'macOS Sequoia 15.6', version: '15.6', restart: true }],
    logHistory: 'new-only',
  });
  const uncouple = coupleWorld(mac, sim, { udid: computer.udid, managementId: computer.managementId, deviceId: String(computer.id) });
  process.env.SUPERD_ROOT = mac.root;
  const agent = createJamfAgent({ ca: sim.ca });
  let skipped = 0;

  return {
    sim,
    fx,
    mac,
    computer,
    /** `superd run ARGV` in this process, with the client secret on standard input. */
    run(argv: string[], output: Output): Promise<number> {
      return runCommand(argv, output, {
        dispatcher: agent,
        // Real time, plus every wait skipped: plans progress, nobody waits for real.
        now: () => new Date(Date.now() + skipped),
        sleep: async (ms) => {
          skipped += ms;
          sim.clock.advance(ms);
          await new Promise((r) => setTimeout(r, 5));
        },
        stdin: Readable.from([`${fx.superdClient.clientSecret}\n`]),
      }).catch((error: unknown) => reportError(error, output));
    },
    async close() {
      uncouple();
      delete process.env.SUPERD_ROOT;
      await agent.close();
      await close();
      await mac.cleanup();
    },
  };
}
