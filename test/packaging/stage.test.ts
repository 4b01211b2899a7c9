/**
 * The package payload (`npm run stage`), the LaunchDaemon, the package scripts against a fake
 * launchctl, shellcheck, and the admin artefacts generated from the settings schema.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, cpSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { stagePayload, type StageResult } from '../../scripts/stagePayload';
import { jamfCustomSchema, renderArtefacts } from '../../scripts/adminArtefacts';
import { settingKeys } from '../../daemon/config/schema';
import { loadPlist } from '../helpers/plist';
import { createFakeMac, type FakeMac } from '../sim/mac';

const REPO = path.join(__dirname, '../..');
const SCRIPTS = ['launchd/preinstall', 'launchd/postinstall', 'launchd/uninstall.sh', 'launchd/superd'];
const HOME = 'Library/Management/superd';
const built = existsSync(path.join(REPO, 'dist/daemon/cli/main.js'));

describe('staged payload', () => {
  let out: string;
  let staged: StageResult;
  beforeAll(() => {
    if (!built) return;
    out = mkdtempSync(path.join(tmpdir(), 'superd-stage-'));
    staged = stagePayload(REPO, out, { nodeBinary: null });
  });
  afterAll(() => out && rmSync(out, { recursive: true, force: true }));
  const whenBuilt = built ? test : test.skip;

  whenBuilt('holds the daemon, its production dependencies, the LaunchDaemon, the CLI wrapper, uninstall and docs — and nothing of the tests', () => {
    const paths = new Set(staged.manifest.map((e) => e.path));
    for (const p of [
      'Library/LaunchDaemons/com.github.superd.plist', 'usr/local/bin/superd', `${HOME}/uninstall.sh`, `${HOME}/app/package.json`,
      `${HOME}/app/dist/daemon/cli/main.js`, `${HOME}/app/dist/daemon/lifecycle/runMachine.js`, `${HOME}/app/node_modules/xstate/package.json`,
      `${HOME}/app/node_modules/undici/package.json`, `${HOME}/app/node_modules/plist/package.json`, `${HOME}/app/node_modules/winston/package.json`,
      `${HOME}/docs/admin-guide.md`, `${HOME}/docs/com.github.superd.json`,
    ]) expect(paths).toContain(p);
    const all = [...paths];
    expect(all.filter((p) => /\/(jest|typescript|@swc|fast-check|ajv)\//.test(p) || /dist\/(test|scripts)\//.test(p))).toEqual([]);
    expect(readdir(staged.scripts)).toEqual(['postinstall', 'preinstall']);
    expect(staged.notes.join(' ')).toMatch(/bundled Node runtime .* added when the package is built on macOS/);
  });

  whenBuilt('modes and ownership: executables 0755, files 0644, directories 0755, everything root:wheel — in the manifest and on disk', () => {
    for (const e of staged.manifest) {
      expect(e.owner).toBe('root');
      expect(e.group).toBe('wheel');
      const mode = (statSync(path.join(staged.payload, e.path)).mode & 0o777).toString(8);
      expect(`0${mode}`).toBe(e.mode);
    }
    const mode = (p: string) => staged.manifest.find((e) => e.path === p)!.mode;
    expect(mode('usr/local/bin/superd')).toBe('0755');
    expect(mode(`${HOME}/uninstall.sh`)).toBe('0755');
    expect(mode('Library/LaunchDaemons/com.github.superd.plist')).toBe('0644');
    expect(mode(`${HOME}/app/dist/daemon/cli/main.js`)).toBe('0644');
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.entries).toHaveLength(staged.manifest.length);
  });

  whenBuilt('the staged daemon runs from its own tree (production dependencies are enough)', () => {
    const r = spawnSync(process.execPath, [path.join(staged.payload, `${HOME}/app/dist/daemon/cli/main.js`), '--version'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toMatch(/^superd \d+\.\d+\.\d+$/);
    const help = spawnSync(process.execPath, [path.join(staged.payload, `${HOME}/app/dist/daemon/cli/main.js`), 'status', '--json'], { encoding: 'utf8', env: { PATH: process.env.PATH, SUPERD_ROOT: out } });
    expect(JSON.parse(help.stdout)).toMatchObject({ state: 'idle' });
  });
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

  test('preinstall boots out a loaded daemon, and does nothing otherwise', async () => {
    mac = await createFakeMac({ launchd: { loaded: ['com.github.superd'], running: ['com.github.superd'] } });
    expect(sh('preinstall').status).toBe(0);
    expect(launchctl()).toEqual(['print system/com.github.superd', 'bootout system/com.github.superd']);
    expect(mac.world().launchd.loaded).not.toContain('com.github.superd');
    expect(sh('preinstall').status).toBe(0);
    expect(launchctl()).toHaveLength(3);
  });

  test('postinstall fixes modes, creates the logs folder and bootstraps the LaunchDaemon', async () => {
    mac = await createFakeMac({ launchd: { loaded: [] } });
    mkdirSync(path.join(mac.root, 'Library/LaunchDaemons'), { recursive: true });
    install();
    chmodSync(path.join(mac.root, 'Library/LaunchDaemons/com.github.superd.plist'), 0o666);
    const r = sh('postinstall');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(launchctl()).toEqual(['print system/com.github.superd', 'bootstrap system /Library/LaunchDaemons/com.github.superd.plist']);
    expect(mac.world().launchd.loaded).toContain('com.github.superd');
    expect((statSync(path.join(mac.root, 'Library/LaunchDaemons/com.github.superd.plist')).mode & 0o777).toString(8)).toBe('644');
    expect(existsSync(path.join(mac.root, HOME, 'logs'))).toBe(true);
  });

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
