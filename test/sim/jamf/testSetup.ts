import { seedStandardFixtures, type StandardFixtures } from './fixtures';
import { startJamfSim, type JamfSim, type JamfSimOptions } from './server';
import { SimClient } from './testClient';

export interface TestSim {
  sim: JamfSim;
  client: SimClient;
  fx: StandardFixtures;
  close(): Promise<void>;
}

/** A simulator with the standard fixtures and a client that trusts its CA. */
export async function openTestSim(opts: JamfSimOptions = {}): Promise<TestSim> {
  const sim = await startJamfSim(opts);
  const fx = seedStandardFixtures(sim);
  const client = new SimClient(sim);
  return {
    sim,
    client,
    fx,
    close: async () => {
      await client.close();
      await sim.close();
    },
  };
}
