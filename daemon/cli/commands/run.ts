import { assertValid, loadSettings, saveSettings, type LoadedSettings } from '../../config/loadSettings';
import { credentialOptions, type CredentialOption } from '../../config/credentialOptions';
import { settingKeys } from '../../config/schema';
import { createRunCommand } from '../../host/runCommand';
import { hostPath, superdPaths, superdRoot } from '../../host/paths';
import { createLogger, SecretRegistry } from '../../log';
import { checkHost, type HostFacts } from '../../host/checkHost';
import { readSecretsFromStdin } from '../readSecretsFromStdin';
import type { Output } from '../main';

/**
 * `superd run [OPTIONS]`: validates and saves the settings, then checks the host. The update
 * workflow itself arrives with the lifecycle machine (issue 5); until then the run reports
 * what it found and exits 0.
 */
export async function runCommand(argv: readonly string[], output: Output): Promise<number> {
  const root = superdRoot();
  const loaded = await loadSettings(argv, root);
  for (const w of loaded.warnings) output.err(`superd: warning: ${w.subject} ${w.message}`);
  assertValid(loaded);
  await readSecretsFromStdin(loaded.credentials);

  // Every secret is registered before the first log line, so no transport can see it.
  const registry = new SecretRegistry();
  for (const [option, value] of Object.entries(loaded.credentials)) {
    if (credentialOptions[option as CredentialOption].secret) registry.registerSecret(value);
  }
  const logger = createLogger({
    dir: hostPath(superdPaths.folder, root),
    format: loaded.settings.LogFormat,
    console: false,
    unifiedLog: 'auto',
    level: loaded.settings.VerboseMode ? 'debug' : 'info',
    registry,
  });
  const log = logger.child('config');
  try {
    for (const w of loaded.warnings) log.warn(`${w.subject} ${w.message}`);
    const host = await checkHost(createRunCommand(root));
    logger.child('host').info('host checked', { macOS: host.macOS.productVersion, build: host.macOS.buildVersion, appleSilicon: host.appleSilicon });
    await saveSettings(loaded.toSave, root);
    log.info('settings validated and saved', { fromJamfPolicy: loaded.fromJamfPolicy, credentialsGiven: Object.keys(loaded.credentials) });
    output.out(report(loaded, host));
    return 0;
  } finally {
    await logger.close();
  }
}

function report(loaded: LoadedSettings, host: HostFacts): string {
  const lines = [
    `Host: macOS ${host.macOS.productVersion}${host.macOS.productVersionExtra ? ` ${host.macOS.productVersionExtra}` : ''} (${host.macOS.buildVersion}), ${host.appleSilicon ? 'Apple silicon' : 'Intel'}, hardware UUID ${host.identity.hardwareUUID}, serial ${host.identity.serialNumber}`,
    `Managed preferences: ${loaded.managedFile ?? 'none'}`,
    'Settings (source):',
  ];
  for (const key of settingKeys) {
    const value = loaded.settings[key];
    const shown = value === undefined ? 'unset' : Array.isArray(value) ? value.join(',') : String(value);
    lines.push(`  ${key} = ${shown} (${loaded.sources[key]})`);
  }
  const given = Object.keys(loaded.credentials) as CredentialOption[];
  if (given.length > 0) {
    // Names of the options only: a credential value is never printed.
    lines.push(`Credentials given: ${given.map((o) => `--${o}${credentialOptions[o].secret ? ' (secret)' : ''}`).join(', ')}`);
  }
  if (loaded.actions.deleteAll) lines.push('Action requested: --auth-delete-all');
  lines.push('Settings saved. The update workflow is not part of this build yet; nothing else was done.');
  return lines.join('\n');
}
