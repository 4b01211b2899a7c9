import { seedStandardFixtures } from './fixtures';
import { startJamfSim, type JamfSim } from './server';

/**
 * Starts the simulator on a real-time clock with the standard fixtures and
 * prints how to reach it. Exported so tests can run exactly what
 * `npm run jamf-sim` runs.
 */
export async function startStandalone(write: (text: string) => void): Promise<JamfSim> {
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
    `Computer: id ${f.computer.id}, udid ${f.computer.udid}, serial ${f.computer.serialNumber}, managementId ${f.computer.managementId}`,
    '',
    'Try:',
    `  curl --cacert ${sim.caFile} -X POST -u ${f.admin.username}:${f.admin.password} ${sim.url}/api/v1/auth/token`,
    `  curl --cacert ${sim.caFile} -d grant_type=client_credentials -d client_id=${f.superdClient.clientId} -d client_secret=${f.superdClient.clientSecret} ${sim.url}/api/oauth/token`,
    '',
    'Press Ctrl-C to stop.',
  ];
  write(`${lines.join('\n')}\n`);
  return sim;
}

if (require.main === module) {
  startStandalone((text) => process.stdout.write(text)).then(
    (sim) => {
      const stop = (): void => {
        sim.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err: unknown) => {
      process.stderr.write(`jamf-sim: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
