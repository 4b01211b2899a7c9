import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createLogger, OSLOG_HELPER_PATH, SecretRegistry } from '../../daemon/log';
import { makeTempRoot } from '../helpers/tempRoot';
import { buildStubHelper, parseStubOutput } from './oslogHelperStub';

const built = buildStubHelper();
const describeWithClang = 'missing' in built ? describe.skip : describe;
if ('missing' in built) {
  console.warn(`the logger-to-helper test is skipped: ${built.missing}`);
  test.skip(`the logger-to-helper test is skipped: ${built.missing}`, () => undefined);
}
afterAll(() => {
  if (!('missing' in built)) built.cleanup();
});

describeWithClang('superd logger → the C helper (stub os_log) installed under SUPERD_ROOT', () => {
  test('every entry reaches os_log with subsystem com.github.superd, its category and type, redacted', async () => {
    if ('missing' in built) return;
    const { root, cleanup } = await makeTempRoot('superd-oslog-e2e-');
    try {
      // The installed helper is the real C program; a wrapper keeps what the stub prints.
      const helper = path.join(root, OSLOG_HELPER_PATH);
      const calls = path.join(root, 'oslog-calls.txt');
      await mkdir(path.dirname(helper), { recursive: true });
      await writeFile(helper, `#!/bin/sh\nexec '${built.file}' "$@" > '${calls}'\n`);
      await chmod(helper, 0o755);
      const registry = new SecretRegistry();
      registry.registerSecret('s3cr3t-Token-Value');
      const logger = createLogger({
        dir: path.join(root, 'superd'),
        format: 'text',
        console: false,
        unifiedLog: 'auto',
        level: 'debug',
        registry,
        env: { SUPERD_ROOT: root },
        platform: 'darwin',
      });
      logger.child('jamf-api').error('push failed', { status: 503, token: 's3cr3t-Token-Value' });
      logger.child('lifecycle').info('state', { from: 'idle', to: 'checking' });
      logger.child('jamf-api').debug('tab\there and a \\ backslash');
      await logger.close();
      expect(parseStubOutput(await readFile(calls, 'utf8'))).toEqual([
        { call: 'create', subsystem: 'com.github.superd', category: 'jamf-api' },
        { call: 'log', type: '10', category: 'jamf-api', format: '%{public}s', buffer: '02 01 22 08', message: 'push failed status=503 token=[REDACTED]' },
        { call: 'create', subsystem: 'com.github.superd', category: 'lifecycle' },
        { call: 'log', type: '00', category: 'lifecycle', format: '%{public}s', buffer: '02 01 22 08', message: 'state from=idle to=checking' },
        { call: 'log', type: '02', category: 'jamf-api', format: '%{public}s', buffer: '02 01 22 08', message: 'tab\there and a \\ backslash' },
      ]);
    } finally {
      await cleanup();
    }
  });
});
