import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { startStandalone } from './standalone';
import { SimClient } from './testClient';

const run = promisify(execFile);
const curl = ['/usr/bin/curl', '/bin/curl', '/usr/local/bin/curl'].find((p) => existsSync(p));

test('npm run jamf-sim: prints URL, CA file and working sample credentials; curl --cacert gets a token', async () => {
  let out = '';
  const sim = await startStandalone((s) => (out += s));
  try {
    const url = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    const caFile = /CA certificate: (\S+)/.exec(out)?.[1];
    const clientId = /client id:\s+(\S+)/.exec(out)?.[1] ?? '';
    const clientSecret = /client secret:\s+(\S+)/.exec(out)?.[1] ?? '';
    const [, user = '', pass = ''] = /Administrator account:\s+(\S+) \/ (\S+)/.exec(out) ?? [];
    expect(url).toBe(sim.url);
    expect(caFile).toBe(sim.caFile);
    const client = new SimClient(sim);
    const token = await client.clientToken(clientId, clientSecret);
    const auth = await client.call('GET', '/api/v1/auth', { token });
    expect((auth.json as { account: { privilegesBySite: Record<string, string[]> } }).account.privilegesBySite['-1']).toEqual(
      expect.arrayContaining(['Read Computers', 'Create Managed Software Updates', 'View MDM command information in Jamf Pro API']),
    );
    expect(await client.userToken(user, pass)).toMatch(/^ey/);
    await client.close();
    if (curl) {
      const { stdout } = await run(curl, ['--silent', '--show-error', '--cacert', caFile ?? '', '-X', 'POST', '-u', `${user}:${pass}`, `${url}/api/v1/auth/token`]);
      expect((JSON.parse(stdout) as { token: string }).token).toMatch(/^ey/);
    }
  } finally {
    await sim.close();
  }
});
