/**
 * The package payload (`npm run stage`), the LaunchDaemon, the package scripts against a fake
 * launchctl, shellcheck, and the admin artefacts generated from the settings schema.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, cpSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { MAIN, NODE, OSLOG_HELPER, PAYLOAD_LIMIT_BYTES, stagePayload, type StageResult } from '../../scripts/stagePayload';
import { CORE } from '../../scripts/bundle';
import { updateStatus } from '../../daemon/status/statusFile';
import { jamfCustomSchema, renderArtefacts } from '../../scripts/adminArtefacts';
import { settingKeys } from '../../daemon/config/schema';
import { loadPlist } from '../helpers/plist';
import { createFakeMac, type FakeMac } from '../sim/mac';

const REPO = path.join(__dirname, '../..');
const SCRIPTS = ['launchd/preinstall', 'launchd/postinstall', 'launchd/uninstall.sh', 'launchd/superd'];
const HOME = 'Library/Management/superd';
/** superd's exit statuses (daemon/errors.ts); Node itself exits 1 when it cannot load a module. */
const SYSEXITS = [0, 64, 69, 70, 75, 77, 78];

describe('staged payload', () => {
  let out: string;
  let staged: StageResult;
  let helper: string;
  const main = () => path.join(staged.payload, MAIN);
  const files = () => staged.manifest.filter((e) => e.type === 'file');
  beforeAll(async () => {
    out = mkdtempSync(path.join(tmpdir(), 'superd-stage-'));
    // Stands in for the native helper another build step makes (build/native/superd-oslog).
    helper = path.join(out, 'superd-oslog');
    writeFileSync(helper, '#!/bin/sh\nexit 0\n');
    staged = await stagePayload(REPO, path.join(out, 'stage'), { nodeBinary: null, oslogHelper: helper });
  }, 120_000);
  afterAll(() => out && rmSync(out, { recursive: true, force: true }));

  test('holds the bundled daemon, its licences, the LaunchDaemon, the CLI wrapper, uninstall and the admin docs', () => {
    const paths = new Set(staged.manifest.map((e) => e.path));
    for (const p of [
      'Library/LaunchDaemons/com.github.superd.plist', 'usr/local/bin/superd', `${HOME}/uninstall.sh`, `${HOME}/app/package.json`,
      MAIN, `${HOME}/app/${CORE}`, `${HOME}/app/dist/daemon/cli/commands/status.js`, `${HOME}/app/dist/daemon/cli/commands/daemon.js`,
      `${HOME}/app/dist/daemon/cli/commands/run.js`, `${HOME}/app/dist/vendor/xstate.js`, `${HOME}/app/dist/vendor/undici.js`,
      `${HOME}/app/dist/vendor/plist.js`, `${HOME}/app/dist/vendor/winston.js`, `${HOME}/app/THIRD-PARTY-NOTICES.txt`,
      `${HOME}/docs/admin-guide.md`, `${HOME}/docs/com.github.superd.json`, OSLOG_HELPER,
    ]) expect(paths).toContain(p);
    expect(readdir(staged.scripts)).toEqual(['postinstall', 'preinstall']);
    expect(staged.notes.join(' ')).toMatch(/bundled Node runtime .* added when the package is built on macOS/);
    // Every module main.ts requires lazily is a file at its tsc-era path.
    expect(staged.bundle.lazyModules).toEqual(expect.arrayContaining(['daemon/cli/commands/status.ts', 'daemon/cli/commands/daemon.ts', 'daemon/cli/commands/run.ts', 'daemon/cli/reportError.ts']));
    for (const m of staged.bundle.lazyModules) expect(paths).toContain(`${HOME}/app/dist/${m.replace(/\.ts$/, '.js')}`);
    // `superd --version` reads no core: buildInfo imports nothing and exports plain values.
    expect(staged.bundle.standalone).toEqual(['daemon/buildInfo.ts']);
  });

  test('production code only: no node_modules, source maps, declarations, TypeScript, dependency docs, tests or scripts', () => {
    const paths = staged.manifest.map((e) => e.path);
    expect(paths.filter((p) => /(^|\/)node_modules(\/|$)/.test(p))).toEqual([]);
    expect(paths.filter((p) => /\.(map|ts|cts|mts)$/.test(p))).toEqual([]);
    expect(paths.filter((p) => /(^|\/)(test|tests|__tests__|scripts)(\/|$)/.test(p))).toEqual([]);
    // Markdown only in superd's own docs folder; the developers' decision record stays out.
    expect(paths.filter((p) => /\.md$/i.test(p) && !p.startsWith(`${HOME}/docs/`))).toEqual([]);
    expect(paths).not.toContain(`${HOME}/docs/decisions.md`);
    // Nor inline or linked maps inside the bundles.
    for (const e of files().filter((f) => f.path.endsWith('.js'))) expect(readFileSync(path.join(staged.payload, e.path), 'utf8')).not.toMatch(/sourceMappingURL/);
    // superd's own code in the bundles comes from daemon/ alone.
    expect(staged.bundle.sources.length).toBeGreaterThan(50);
    expect(staged.bundle.sources.filter((s) => !s.startsWith('daemon/') || /\.test\.ts$/.test(s))).toEqual([]);
  });

  test('no dev-only package is bundled: every package inside comes from the production dependency tree, with its licence', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const production = new Set(
      execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: REPO, encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes('node_modules'))
        .map((line) => (JSON.parse(readFileSync(path.join(line.trim(), 'package.json'), 'utf8')) as { name: string; version: string }))
        .map((p) => `${p.name}@${p.version}`),
    );
    const bundled = staged.bundle.packages.map((p) => `${p.name}@${p.version}`);
    for (const name of Object.keys(pkg.dependencies)) expect(bundled).toContain(`${name}@${pkg.dependencies[name]}`);
    expect(bundled.filter((p) => !production.has(p))).toEqual([]);
    expect(staged.bundle.packages.filter((p) => Object.hasOwn(pkg.devDependencies, p.name))).toEqual([]);
    const notices = readFileSync(path.join(staged.payload, `${HOME}/app/THIRD-PARTY-NOTICES.txt`), 'utf8');
    for (const p of bundled) expect(notices).toContain(p);
  });

  test('modes and ownership: executables 0755, files 0644, directories 0755, everything root:wheel — in the manifest and on disk', () => {
    for (const e of staged.manifest) {
      expect(e.owner).toBe('root');
      expect(e.group).toBe('wheel');
      const stat = statSync(path.join(staged.payload, e.path));
      expect(`0${(stat.mode & 0o777).toString(8)}`).toBe(e.mode);
      expect(e.bytes).toBe(e.type === 'dir' ? 0 : stat.size);
    }
    const mode = (p: string) => staged.manifest.find((e) => e.path === p)!.mode;
    expect(mode('usr/local/bin/superd')).toBe('0755');
    expect(mode(`${HOME}/uninstall.sh`)).toBe('0755');
    expect(mode(OSLOG_HELPER)).toBe('0755');
    expect(mode('Library/LaunchDaemons/com.github.superd.plist')).toBe('0644');
    expect(mode(MAIN)).toBe('0644');
    expect(mode(`${HOME}/app/dist/vendor/undici.js`)).toBe('0644');
    expect(staged.manifest.filter((e) => e.type === 'dir' && e.mode !== '0755')).toEqual([]);
    expect(files().filter((e) => e.mode === '0755').map((e) => e.path).sort()).toEqual([OSLOG_HELPER, `${HOME}/uninstall.sh`, 'usr/local/bin/superd'].sort());
    const manifest = JSON.parse(readFileSync(path.join(out, 'stage/manifest.json'), 'utf8'));
    expect(manifest.entries).toEqual(staged.manifest);
    expect(manifest.size).toEqual(staged.size);
  });

  test(`the payload without Node is measured and stays within ${PAYLOAD_LIMIT_BYTES / 1_000_000} MB`, () => {
    const sum = files().reduce((total, e) => total + e.bytes, 0);
    expect(staged.size.withoutNode).toBe(sum); // no Node staged here
    expect(staged.size.limitWithoutNode).toBe(3_000_000);
    expect(staged.size.withoutNode).toBeLessThanOrEqual(3_000_000);
    expect(staged.size.nodeEstimated).toBe(true);
    expect(staged.size.withNode).toBe(sum + statSync(process.execPath).size);
  });

  test('a Node binary, when given, is staged 0755 and counted only in the size with Node', async () => {
    const other = await stagePayload(REPO, path.join(out, 'with-node'), { nodeBinary: helper, oslogHelper: null });
    expect(other.manifest.find((e) => e.path === NODE)?.mode).toBe('0755');
    expect(other.manifest.map((e) => e.path)).not.toContain(OSLOG_HELPER);
    expect(other.notes.join(' ')).toMatch(/os_log helper .* not built/);
    expect(other.size.nodeEstimated).toBe(false);
    expect(other.size.withNode - other.size.withoutNode).toBe(statSync(helper).size);
  }, 120_000);

  test('the staged CLI runs from its own tree: --version, --help, status --json', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'superd-staged-root-'));
    try {
      const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [main(), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, SUPERD_ROOT: root, ...env } });
      const version = cli(['--version']);
      expect(version.stdout.trim()).toMatch(/^superd \d+\.\d+\.\d+$/);
      expect(version.status).toBe(0);
      expect(cli(['--help']).stdout).toMatch(/^Usage:/m);
      const status = cli(['status', '--json']);
      expect(status.status).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ state: 'idle' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('the staged CLI: errors keep their type across bundles (usage 64), and plist loads through its bundle (configuration 78)', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'superd-staged-root-'));
    try {
      const cli = (args: string[]) => spawnSync(process.execPath, [main(), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, SUPERD_ROOT: root } });
      // UsageError comes from the core bundle, reportError checks it with instanceof.
      const unknown = cli(['frobnicate']);
      expect(unknown.stderr).toMatch(/Invalid options; nothing was saved or changed:\n {2}- usage unknown command "frobnicate"/);
      expect(unknown.status).toBe(64);
      // A managed profile with a bad value: read with plist (a real dynamic import of its bundle).
      const managed = path.join(root, 'Library/Managed Preferences');
      mkdirSync(managed, { recursive: true });
      writeFileSync(path.join(managed, 'com.github.superd.plist'), '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>CredentialHeartbeatInterval</key><string>often</string></dict></plist>\n');
      const bad = cli(['run']);
      expect(bad.stderr).toMatch(/Invalid configuration; nothing was saved or changed:\n {2}- CredentialHeartbeatInterval in .*com\.github\.superd\.plist must be a whole number of hours/);
      expect(bad.status).toBe(78);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('the staged daemon starts its worker from the staged tree (the worker path resolves in the bundle layout)', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'superd-staged-root-'));
    const daemonLog = path.join(root, 'Library/Management/superd/logs/superd.log');
    const logText = () => (existsSync(daemonLog) ? readFileSync(daemonLog, 'utf8') : '');
    // A retry that is already due: the first tick starts a run worker, `main.js run` beside the daemon.
    await updateStatus(root, { state: 'deferred', nextAttempt: new Date(Date.now() - 60_000).toISOString(), authMethod: null });
    const daemon = spawn(process.execPath, [main(), 'daemon', '--tick-seconds=60'], { env: { PATH: process.env.PATH, SUPERD_ROOT: root }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => daemon.once('exit', (code) => resolve(code)));
    try {
      while (!/run worker exited -?\d+/.test(logText())) {
        if (daemon.exitCode !== null) throw new Error(`the daemon exited ${daemon.exitCode}:\n${logText()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const status = Number(/run worker exited (-?\d+)/.exec(logText())![1]);
      // The worker is superd itself (a sysexits status), not Node failing to find main.js (1).
      expect(SYSEXITS).toContain(status);
      daemon.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (daemon.exitCode === null) daemon.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

test('the LaunchDaemon: Label, bundled Node with --use-system-ca, KeepAlive, RunAtLoad, ThrottleInterval, logs into superd\'s folder', async () => {
  const plist = (await loadPlist()).parse(readFileSync(path.join(REPO, 'launchd/com.github.superd.plist'), 'utf8')) as Record<string, unknown>;
  expect(plist).toMatchObject({
    Label: 'com.github.superd',
    ProgramArguments: ['/Library/Management/superd/node/bin/node', '--use-system-ca', '/Library/Management/superd/app/dist/daemon/cli/main.js', 'daemon'],
    KeepAlive: true,
    RunAtLoad: true,
    ThrottleInterval: 30,
    StandardOutPath: '/Library/Management/superd/logs/launchd.log',
    StandardErrorPath: '/Library/Management/superd/logs/launchd.log',
  });
});

describe('shell scripts', () => {
  const shellcheck = spawnSync('shellcheck', ['--version']).status === 0;
  (shellcheck ? test : test.skip)(`shellcheck is clean${shellcheck ? '' : ' (skipped: shellcheck is not installed; .ci/run installs it)'}`, () => {
    const r = spawnSync('shellcheck', ['--shell=sh', ...SCRIPTS.map((s) => path.join(REPO, s))], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test.each(SCRIPTS)('%s is POSIX sh (dash -n parses it, #!/bin/sh)', (script) => {
    const file = path.join(REPO, script);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('#!/bin/sh');
    const shell = existsSync('/usr/bin/dash') ? '/usr/bin/dash' : '/bin/sh';
    expect(spawnSync(shell, ['-n', file]).status).toBe(0);
  });
});

describe('package scripts against a fake launchctl', () => {
  let mac: FakeMac;
  afterEach(() => mac.cleanup());
  const sh = (script: string, args: string[] = []) => spawnSync('/bin/sh', [path.join(REPO, 'launchd', script), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, SUPERD_ROOT: mac.root } });
  const launchctl = () => mac.invocations().filter((i) => i.command === '/bin/launchctl').map((i) => i.argv.join(' '));
  function install() {
    cpSync(path.join(REPO, 'launchd/com.github.superd.plist'), path.join(mac.root, 'Library/LaunchDaemons/com.github.superd.plist'));
    mkdirSync(path.join(mac.root, 'usr/local/bin'), { recursive: true });
    cpSync(path.join(REPO, 'launchd/superd'), path.join(mac.root, 'usr/local/bin/superd'));
    mkdirSync(path.join(mac.root, HOME, 'app'), { recursive: true });
  }

  test('uninstall boots out, deletes credentials when asked, and removes every file; unknown options are refused', async () => {
    mac = await createFakeMac({ launchd: { loaded: ['com.github.superd'], running: ['com.github.superd'] } });
    mkdirSync(path.join(mac.root, 'Library/LaunchDaemons'), { recursive: true });
    install();
    // The real wrapper needs the bundled macOS Node; a stub records the call instead.
    writeFileSync(path.join(mac.root, 'usr/local/bin/superd'), `#!/bin/sh\necho "$@" > "${mac.root}/superd-called"\n`);
    chmodSync(path.join(mac.root, 'usr/local/bin/superd'), 0o755);
    expect(sh('uninstall.sh', ['--bogus']).status).toBe(64);
    const r = sh('uninstall.sh', ['--auth-delete-all']);
    expect(r.status).toBe(0);
    expect(readFileSync(path.join(mac.root, 'superd-called'), 'utf8').trim()).toBe('--auth-delete-all');
    expect(launchctl()).toContain('bootout system/com.github.superd');
    for (const gone of ['Library/LaunchDaemons/com.github.superd.plist', 'usr/local/bin/superd', HOME]) expect(existsSync(path.join(mac.root, gone))).toBe(false);
  });
});

describe('admin artefacts generated from the settings schema', () => {
  test('the committed Jamf Pro schema and example profile match what the schema generates now', async () => {
    const { schema, mobileconfig } = await renderArtefacts();
    expect(readFileSync(path.join(REPO, 'docs/com.github.superd.json'), 'utf8')).toBe(schema);
    expect(readFileSync(path.join(REPO, 'docs/com.github.superd.example.mobileconfig'), 'utf8')).toBe(mobileconfig);
  });

  test('the JSON schema is valid, lists every key, and accepts the example profile\'s values', async () => {
    const schema = JSON.parse(readFileSync(path.join(REPO, 'docs/com.github.superd.json'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(Object.keys(schema.properties).sort()).toEqual([...settingKeys].sort());
    const profile = (await loadPlist()).parse(readFileSync(path.join(REPO, 'docs/com.github.superd.example.mobileconfig'), 'utf8')) as { PayloadContent: Record<string, unknown>[] };
    const payload = { ...profile.PayloadContent[0] };
    for (const k of Object.keys(payload)) if (k.startsWith('Payload')) delete payload[k];
    expect(Object.keys(payload).sort()).toEqual([...settingKeys].sort());
    expect(validate(payload)).toBe(true);
    expect(jamfCustomSchema().properties).toBeDefined();
  });
});

function readdir(dir: string): string[] {
  return execFileSync('ls', [dir], { encoding: 'utf8' }).trim().split('\n').sort();
}
