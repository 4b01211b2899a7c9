import { seedStandardFixtures } from './fixtures';
import { startJamfSim } from './server';

/**
 * `npm run jamf-sim`: a Jamf Pro simulator on a real-time clock with the
 * standard fixtures, until SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const sim = await startJamfSim({ now: Date.now });
  const f = seedStandardFixtures(sim);
  const lines = [
    `Jamf Pro simulator ${sim.control.version()} listening on ${sim.url}`,
    `CA certificate: ${sim.caFile}`,
    '',
    `API client (role "${f.superdRole.displayName}", all privileges superd needs):`,
    `  client id:     ${f.superdClient.clientId}`,
    `  client secret: ${f.superdClient.clientSecret}`,
    `Administrator account:   ${f.admin.username} / ${f.admin.password}`,
    `Rotation account:        ${f.rotator.username} / ${f.rotator.password}`,
    `Computer: id ${f.computer.id}, udid ${f.computer.udid}, serial ${f.computer.serialNumber}`,
    '',
    'Try:',
    `  curl --cacert ${sim.caFile} -X POST -u ${f.admin.username}:${f.admin.password} ${sim.url}/api/v1/auth/token`,
    `  curl --cacert ${sim.caFile} -d grant_type=client_credentials -d client_id=${f.superdClient.clientId} -d client_secret=${f.superdClient.clientSecret} ${sim.url}/api/oauth/token`,
    '',
    'Press Ctrl-C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = (): void => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`jamf-sim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
