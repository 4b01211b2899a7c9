/**
 * Issue 16 part 3, as real processes: `superd run` replacing a saved credential is killed -9 at
 * every keychain step of the save (before and after each keychain write), and afterwards
 * exactly one complete credential is current (the old or the new, never one method's name with
 * another's secret), the next `superd run` is not blocked, finishes the interrupted replacement,
 * authenticates with that credential and leaves no staged item, and no secret leaked.
 *
 * The kill point comes from the fake Mac's `security` (test/sim/mac/runtime/cmd-security.js):
 * told to block at the Nth keychain write, it waits there; the test then kills superd with
 * SIGKILL, which is a kill between two keychain steps. Items are first saved as the previous
 * superd version saved them (the plain `superd_auth_*` names, no journal), so an upgraded Mac
 * is covered too.
 *
 * Cost. Only the killed run is a real process (dist/daemon/cli/main.js): a SIGKILL must leave a
 * dead pid in the lock and the journal, and no cleanup. Its macOS commands are real processes
 * too, served by this process (test/sim/mac/nodeShimServer.ts: a shell per command instead of a
 * Node start), and the blocked `security` is such a shell, killed after superd. Each kill point
 * has its own world, so up to KILLERS killed runs go at once; the next run of each kill point
 * runs in this process against that world (test/helpers/runWorld.ts), one at a time, in kill
 * point order; a state already checked (same state key) is not run again.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { currentReplacement } from '../../daemon/auth/credentialReplacement';
import { KeychainSecretStore, SUPERD_KEYCHAIN } from '../../daemon/auth/keychainSecretStore';
import { METHOD_FIELDS, METHOD_PRIORITY } from '../../daemon/auth/methodFields';
import { REPLACEMENT_JOURNAL } from '../../daemon/auth/replacementJournal';
import type { AuthMethod } from '../../daemon/status/statusFile';
import { findSecrets } from '../helpers/secretScan';
import { openRunWorld, UPDATE_15_6, type RunWorld } from '../helpers/runWorld';
import { serveThroughNodeShim, type FakeMacOptions } from '../sim/mac';

const MAIN = path.join(__dirname, '../../dist/daemon/cli/main.js');
// npm test builds dist/ before jest runs; a bare `jest` on a fresh clone skips this with a reason.
const withBuild = existsSync(MAIN) ? test : test.skip;
if (!existsSync(MAIN)) console.warn(`skipped: ${MAIN} not built (npm run build)`);

interface Credential {
  readonly method: AuthMethod;
  readonly name: string;
  readonly secret: string;
}
interface Scenario {
  readonly mac?: FakeMacOptions;
  readonly old: (w: RunWorld) => Credential;
  readonly next: (w: RunWorld) => Credential;
  /** The options that save `next`, and their secrets on standard input (one a line). */
  readonly options: (next: Credential) => { argv: string[]; stdin: string[] };
  /** Secrets beyond the two credentials' (an admin's password). */
  readonly otherSecrets?: string[];
}

const fake = (w: RunWorld, name: string) => path.join(w.mac.root, '.fake', name);
const journalFile = (w: RunWorld) => path.join(w.mac.root, REPLACEMENT_JOURNAL);
const superdItems = (w: RunWorld) => w.mac.keychain().filter((i) => i.service === 'superd');
const decode = (value: string) => Buffer.from(value, 'base64').toString('utf8');

/** What superd reads, in the order it reads it: a replacement's current set, else the first complete saved pair. */
async function currentCredential(w: RunWorld): Promise<Credential | null> {
  const store = new KeychainSecretStore({ run: w.runCommand, ...SUPERD_KEYCHAIN, root: w.mac.root });
  const replacing = await currentReplacement(store);
  if (replacing) return replacing;
  for (const method of METHOD_PRIORITY) {
    const [nameField, secretField] = METHOD_FIELDS[method];
    const name = await store.get(nameField);
    const secret = name === null ? null : await store.get(secretField);
    if (name !== null && secret !== null) return { method, name, secret };
  }
  return null;
}

/** The saved items superd leaves when nothing is under way: exactly one method's two items. */
function savedItems(w: RunWorld): Record<string, string> {
  return Object.fromEntries(superdItems(w).map((i) => [i.account, decode(i.value)]));
}
/** `superd_auth_service_created` names the service account superd made (for --auth-delete-all); it is not a credential item. */
function withoutMarker(items: Record<string, string>): Record<string, string> {
  const { superd_auth_service_created: _marker, ...rest } = items;
  return rest;
}
function itemsOf(c: Credential): Record<string, string> {
  const [nameField, secretField] = METHOD_FIELDS[c.method];
  return { [`superd_auth_${nameField}`]: c.name, [`superd_auth_${secretField}`]: c.secret };
}

interface KilledRun {
  readonly killed: boolean;
  readonly status: number | null;
  readonly output: string;
}

/** Resolves once `file` exists (fs.watch on its folder: no polling delay to tune), or `stop` settles first. */
function appeared(file: string, stop: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const watcher = watch(path.dirname(file), () => check());
    let done = false;
    const finish = (seen: boolean) => {
      if (done) return;
      done = true;
      watcher.close();
      resolve(seen);
    };
    const check = () => existsSync(file) && finish(true);
    void stop.then(() => finish(existsSync(file)));
    check();
  });
}

/** `superd run` with the new credential as options, blocked at keychain write `write` (before or after it) and killed -9 there. */
async function killedSave(w: RunWorld, given: { argv: string[]; stdin: string[] }, write: number, when: 'before' | 'after'): Promise<KilledRun> {
  rmSync(fake(w, 'security-writes'), { force: true });
  rmSync(fake(w, 'security-blocked.json'), { force: true });
  writeFileSync(fake(w, 'security-block.json'), JSON.stringify({ write, when }));
  // Nothing to install for this run: a save that is not killed ends right after it (in real
  // time, a whole update workflow would take minutes); the next run gets the update back.
  w.mac.update({ availableUpdates: [] });
  const server = serveThroughNodeShim(w.mac.root);
  const child = spawn(process.execPath, [MAIN, 'run', ...given.argv], {
    env: { PATH: `${server.binDir}:${process.env.PATH ?? ''}`, SUPERD_ROOT: w.mac.root, NODE_EXTRA_CA_CERTS: w.sim.caFile },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stdin.end(given.stdin.map((line) => `${line}\n`).join(''));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Whichever comes first: the fake reports the kill point, or superd ends (fewer writes than `write`).
  const blockedFile = fake(w, 'security-blocked.json');
  let killed = false;
  if (await appeared(blockedFile, exited)) {
    child.kill('SIGKILL');
    await exited;
    killed = true;
    const blocked = JSON.parse(readFileSync(blockedFile, 'utf8')) as { pid: number; write: number; when: string };
    expect(blocked).toMatchObject({ write, when });
    try {
      process.kill(blocked.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  const status = await exited;
  server.close();
  rmSync(fake(w, 'security-block.json'), { force: true });
  w.mac.update({ availableUpdates: [UPDATE_15_6] });
  return { killed, status, output };
}

/** The state a kill left, as far as the next run can see it (to check each distinct state once). */
function stateKey(w: RunWorld): string {
  const folder = path.dirname(journalFile(w));
  const files = existsSync(folder) ? readdirSync(folder).filter((f) => !f.startsWith('logs')).sort() : [];
  const journal = existsSync(journalFile(w)) ? readFileSync(journalFile(w), 'utf8') : '';
  return JSON.stringify({ items: superdItems(w).map((i) => [i.account, i.value]).sort(), journal, files });
}

const jamfClientOptions = (next: Credential) => ({ argv: [`--auth-jamf-client=${next.name}`, '--auth-jamf-secret=-'], stdin: [next.secret] });
const LOCAL = 'Local-Pass-5531';
const ADMIN = 'Admin-Pass-9917';
const SERVICE = 'Service-Pass-7342-abcd';

const scenarios: Record<string, Scenario> = {
  'Jamf API client → another API client': {
    options: jamfClientOptions,
    old: (w) => ({ method: 'jamf-client', name: w.fx.superdClient.clientId, secret: w.fx.superdClient.clientSecret }),
    next: (w) => {
      const b = w.sim.control.addClient({ displayName: 'superd (replacement)', roles: [w.fx.superdRole.id], accessTokenLifetimeSeconds: 600 });
      return { method: 'jamf-client', name: b.clientId, secret: b.clientSecret };
    },
  },
  'Jamf account → API client': {
    options: jamfClientOptions,
    old: (w) => ({ method: 'jamf-account', name: w.fx.rotator.username, secret: w.fx.rotator.password }),
    next: (w) => {
      const b = w.sim.control.addClient({ displayName: 'superd (replacement)', roles: [w.fx.superdRole.id], accessTokenLifetimeSeconds: 600 });
      return { method: 'jamf-client', name: b.clientId, secret: b.clientSecret };
    },
  },
  'local account → service account': {
    mac: {
      users: [
        { name: 'localadmin', password: LOCAL, admin: true, secureToken: true },
        { name: 'itadmin', password: ADMIN, admin: true, secureToken: true },
      ],
      consoleUser: 'localadmin',
    },
    old: () => ({ method: 'local-account', name: 'localadmin', secret: LOCAL }),
    next: () => ({ method: 'service-account', name: 'superd', secret: SERVICE }),
    options: () => ({
      argv: ['--auth-service-add-via-admin-account=itadmin', '--auth-service-add-via-admin-password=-', '--auth-service-password=-'],
      stdin: [ADMIN, SERVICE],
    }),
    otherSecrets: [ADMIN],
  },
};

/** How the next run proved it could use `expected`: Jamf Pro issued it a token, or the Mac's own install took it. */
function authenticatedAs(w: RunWorld, expected: Credential, requestsBefore: number, invocationsBefore: number): void {
  if (expected.method === 'jamf-client' || expected.method === 'jamf-account') {
    const accepted = w.requests('POST').slice(requestsBefore).filter((q) => (q.path.includes('/api/oauth/token') || q.path.includes('/api/v1/auth/token')) && q.status === 200);
    expect(accepted.length).toBeGreaterThan(0);
    expect(new Set(accepted.map((q) => q.principal))).toEqual(new Set([expected.name]));
    return;
  }
  // The fake softwareupdate checks the password given on stdin; the run exited 0, so it was right.
  const installs = w.mac.invocations().slice(invocationsBefore).filter((i) => i.command === '/usr/sbin/softwareupdate' && i.argv.includes('--stdinpass'));
  expect(installs.length).toBeGreaterThan(0);
  expect(new Set(installs.map((i) => i.argv[i.argv.indexOf('--user') + 1]))).toEqual(new Set([expected.name]));
}

/** Killed runs at once (each its own world and real process tree); more only queue on two cores. */
const KILLERS = 4;

interface KillPoint {
  readonly write: number;
  readonly when: 'before' | 'after';
}
interface Killed {
  readonly w: RunWorld;
  readonly old: Credential;
  readonly next: Credential;
  readonly run: KilledRun;
}

describe.each(Object.entries(scenarios))('kill -9 at every keychain step: %s', (_title, scenario) => {
  const worlds = new Set<RunWorld>();
  const rootBefore = process.env.SUPERD_ROOT;
  afterEach(async () => {
    for (const w of worlds) await w.close();
    worlds.clear();
    if (rootBefore === undefined) delete process.env.SUPERD_ROOT;
    else process.env.SUPERD_ROOT = rootBefore;
  });

  /**
   * openRunWorld points process.env.SUPERD_ROOT at its world, and an in-process run reads it: a
   * world is opened, seeded or run in this process only inside `exclusive`, one at a time, with
   * SUPERD_ROOT its own root. Killed runs (separate processes with their own environment) go on meanwhile.
   */
  let queue: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = queue.then(fn);
    queue = result.catch(() => undefined);
    return result;
  }

  /** A fresh world with `old` saved as the previous superd version saved it, and the run killed at `point`. */
  async function kill(point: KillPoint): Promise<Killed> {
    const { w, old, next } = await exclusive(async () => {
      const w = await openRunWorld({ sim: { now: Date.now } as never, ...(scenario.mac ? { mac: scenario.mac } : {}) });
      worlds.add(w);
      const old = scenario.old(w);
      const next = scenario.next(w);
      // Saved as the previous superd version saved it: the two plain items, no journal.
      for (const [field, value] of Object.entries(itemsOf(old))) await w.store.set(field.replace(/^superd_auth_/, ''), value);
      return { w, old, next };
    });
    return { w, old, next, run: await killedSave(w, scenario.options(next), point.write, point.when) };
  }

  withBuild('the old or the new credential is complete and works afterwards, never a mix, nothing leaked', async () => {
    // Kill points in order, started KILLERS at a time, until a run ends before its kill point.
    const points: KillPoint[] = [];
    const results: Promise<Killed>[] = [];
    let lastWrite = Infinity;
    let running = 0;
    const wake: (() => void)[] = [];
    const pushed: (() => void)[] = [];
    let produced = false;
    let stopped = false;
    const slot = async () => {
      while (running >= KILLERS) await new Promise<void>((r) => wake.push(r));
      running += 1;
    };
    const release = () => {
      running -= 1;
      wake.shift()?.();
    };
    const producer = (async () => {
      for (let write = 1; write <= lastWrite; write += 1) {
        for (const when of ['before', 'after'] as const) {
          await slot();
          if (write > lastWrite || stopped) {
            release();
            return;
          }
          const point = { write, when };
          const result = kill(point).finally(release);
          void result.then((k) => {
            if (!k.run.killed) lastWrite = Math.min(lastWrite, write);
          }, () => undefined);
          points.push(point);
          results.push(result);
          pushed.splice(0).forEach((r) => r());
        }
      }
    })().finally(() => {
      produced = true;
      pushed.splice(0).forEach((r) => r());
    });

    const seen = new Map<string, 'old' | 'new'>();
    const outcomes: string[] = [];
    let sawNew = false;
    let finished = false;
    try {
      for (let i = 0; !finished; i += 1) {
        while (i >= results.length && !produced) await new Promise<void>((r) => pushed.push(r));
        expect(i).toBeLessThan(results.length);
        const { write, when } = points[i]!;
        const { w, old, next, run: killedRun } = await results[i]!;
        await exclusive(async () => {
          const secrets = [old.secret, next.secret, ...(scenario.otherSecrets ?? [])];
          process.env.SUPERD_ROOT = w.mac.root;
          if (!killedRun.killed) {
            // Fewer keychain writes than `write`: the save ran to its end, the new credential is saved.
            expect(when).toBe('before');
            expect({ status: killedRun.status, output: killedRun.output }).toEqual({ status: 0, output: killedRun.output });
            expect(withoutMarker(savedItems(w))).toEqual(itemsOf(next));
            expect(existsSync(journalFile(w))).toBe(false);
            expect(findSecrets(secrets, w.mac.root, [killedRun.output])).toEqual([]);
            finished = true;
            return;
          }

          // What a reader sees right after the kill: one complete set, the old or the new one.
          const current = await currentCredential(w);
          const which = current && JSON.stringify(current) === JSON.stringify(old) ? 'old' : current && JSON.stringify(current) === JSON.stringify(next) ? 'new' : 'mix';
          expect({ write, when, which }).toEqual({ write, when, which: expect.stringMatching(/^(old|new)$/) });
          // Once the new one is current, a later kill never brings the old one back.
          if (sawNew) expect({ write, when, which }).toEqual({ write, when, which: 'new' });
          sawNew ||= which === 'new';

          const key = stateKey(w);
          if (seen.has(key)) {
            expect(seen.get(key)).toBe(which);
          } else {
            seen.set(key, which as 'old' | 'new');
            // The next run: not blocked, finishes the replacement, authenticates with that credential.
            const requestsBefore = w.requests('POST').length;
            const invocationsBefore = w.mac.invocations().length;
            const r = await w.run(['run']);
            expect({ write, when, status: r.status, stderr: r.stderr }).toEqual({ write, when, status: 0, stderr: '' });
            const expected = which === 'old' ? old : next;
            authenticatedAs(w, expected, requestsBefore, invocationsBefore);
            expect(withoutMarker(savedItems(w))).toEqual(itemsOf(expected));
            expect(existsSync(journalFile(w))).toBe(false);
            // A service account made before the kill is known to --auth-delete-all, even when it was never saved.
            if ((w.mac.world().users ?? []).some((u) => u.name === 'superd')) expect(savedItems(w)).toHaveProperty('superd_auth_service_created', 'superd');
            outcomes.push(`${when} write ${write}: ${which}`);
          }
          expect(findSecrets(secrets, w.mac.root, [killedRun.output, ...w.outputs])).toEqual([]);
          expect(w.mac.invocations().some((i) => i.argv.some((a) => secrets.some((s) => a.includes(s))))).toBe(false);
          worlds.delete(w);
          await w.close();
        });
      }
    } finally {
      // Runs started past the end (each ended before its kill point, or the test failed) are
      // waited for; afterEach closes their worlds.
      stopped = true;
      await producer;
      await Promise.allSettled(results);
    }
    expect(finished).toBe(true);
    // The sweep reached both sides of the commit point.
    expect(outcomes.some((o) => o.endsWith('old'))).toBe(true);
    expect(outcomes.some((o) => o.endsWith('new'))).toBe(true);
  }, 900_000); // one real superd per kill point (13 to 21 a scenario): a busy machine makes them slow, not wrong
});
