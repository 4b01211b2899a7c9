import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { openRunWorld, type RunWorld } from '../helpers/runWorld';

const MAIN = path.join(__dirname, '../../dist/daemon/cli/main.js');
let w: RunWorld;
afterEach(() => w?.close());

// npm test builds dist/ before jest runs; a bare `jest` on a fresh clone skips this with a reason.
const withBuild = existsSync(MAIN) ? test : test.skip;

withBuild('kill -9 right after the plan POST: the next run follows that plan and creates no second one', async () => {
  w = await openRunWorld({ sim: { now: Date.now } as never, realProcesses: true }); // end to end: every fake is a process
  await w.saveClient();
  const child = spawn(process.execPath, [MAIN, 'run'], {
    env: { PATH: process.env.PATH, SUPERD_ROOT: w.mac.root, NODE_EXTRA_CA_CERTS: w.sim.caFile },
    stdio: 'ignore',
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve) => w.sim.events.once('plan', () => resolve()));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  expect(w.sim.control.plans()).toHaveLength(1);
  const status = await w.status();
  expect(status.state).toBe('running');
  expect(JSON.parse(status.machineSnapshot!)).toMatchObject({ value: 'pushing' });

  const r = await w.run();
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/this Mac acted on it/);
  expect(r.status).toBe(0);
  expect(w.sim.control.plans()).toHaveLength(1);
  expect(w.requests('POST', '/api/v1/managed-software-updates/plans').filter((q) => q.status === 201)).toHaveLength(1);
}, 120_000); // two whole runs of real processes: a busy machine makes them slow, not wrong
