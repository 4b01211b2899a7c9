import { JamfClient } from '../../daemon/jamf/jamfClient';
import { createJamfAgent } from '../../daemon/jamf/jamfAgent';
import { readFeatureToggleState } from '../../daemon/jamf/softwareUpdatePlans';
import { chooseWorkflow } from '../../daemon/workflow/chooseWorkflow';
import { JamfPrivilegeError } from '../../daemon/errors';
import { openTestSim, type TestSim } from '../sim/jamf/testSetup';

// The plans feature toggle decides the update path; a 403 reading it is a named privilege error,
// never a silent fall-back to the legacy endpoint (super: check_jamf_api_update_workflow()).

let t: TestSim;
let agent: ReturnType<typeof createJamfAgent>;
afterEach(async () => {
  await agent.close();
  await t.close();
});

async function client(version: string) {
  t = await openTestSim({ version });
  agent = createJamfAgent({ ca: t.sim.ca });
  const c = t.fx.superdClient;
  return new JamfClient({ baseUrl: `${t.sim.url}/`, credential: { kind: 'client', clientId: c.clientId, clientSecret: c.clientSecret }, dispatcher: agent });
}

test('toggle on / off is read as such', async () => {
  const c = await client('11.30.0');
  t.sim.control.setFeatureToggle(true);
  await expect(readFeatureToggleState(c)).resolves.toBe(true);
  t.sim.control.setFeatureToggle(false);
  await expect(readFeatureToggleState(c)).resolves.toBe(false);
});

test('a 403 on the toggle is a JamfPrivilegeError naming "Read Managed Software Updates"', async () => {
  const c = await client('11.30.0');
  t.sim.control.injectFault({ method: 'GET', path: '/api/v1/managed-software-updates/plans/feature-toggle', kind: 'status', status: 403, body: { httpStatus: 403, errors: [] } });
  const error = await readFeatureToggleState(c).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(JamfPrivilegeError);
  expect((error as JamfPrivilegeError).code).toBe('SUPERD_ERR_JAMF_PRIVILEGE');
  expect((error as JamfPrivilegeError).privileges).toContain('Read Managed Software Updates');
  expect((error as Error).message).toMatch(/Read Managed Software Updates/);
});

test('a server that does not offer the toggle: null, and auto picks the legacy path', async () => {
  const c = await client('10.47.0');
  // A 10.47 server answers 404 there; the client's version gate then calls the endpoint unavailable.
  t.sim.control.injectFault({ method: 'GET', path: '/api/v1/managed-software-updates/plans/feature-toggle', kind: 'status', status: 404, body: { httpStatus: 404, errors: [] } });
  const toggle = await readFeatureToggleState(c);
  expect(toggle).toBeNull();
  expect(chooseWorkflow({ setting: 'auto', jamfVersion: '10.47.0', featureToggleOn: toggle, macOSVersion: '15.5', declarativeManagement: true })).toMatchObject({ workflow: 'legacy' });
});

