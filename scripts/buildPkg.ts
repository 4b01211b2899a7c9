/**
 * `npm run pkg`: on macOS, builds the flat package from the staged payload with pkgbuild and
 * productbuild, signed when SUPERD_SIGN_INSTALLER names a "Developer ID Installer" identity, and
 * notarized when SUPERD_NOTARY_PROFILE names a notarytool keychain profile. Elsewhere it says
 * why it cannot and exits 1: pkgbuild exists only on macOS.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { stagePayload } from './stagePayload';

async function main(): Promise<number> {
  if (process.platform !== 'darwin') {
    console.error('npm run pkg needs macOS (pkgbuild and productbuild); on this OS run npm run stage to build and check the payload.');
    return 1;
  }
  const repo = path.resolve(__dirname, '../..');
  const out = path.join(repo, 'build');
  const { version } = require(path.join(repo, 'package.json')) as { version: string };
  const staged = await stagePayload(repo, out);
  if (staged.size.withoutNode > staged.size.limitWithoutNode) {
    console.error(`The payload without Node is ${staged.size.withoutNode} bytes, over its ${staged.size.limitWithoutNode}-byte limit: npm run stage lists every file.`);
    return 1;
  }
  const sign = process.env.SUPERD_SIGN_INSTALLER;
  const component = path.join(out, 'superd-component.pkg');
  const product = path.join(out, `superd-${version}.pkg`);
  execFileSync('pkgbuild', ['--root', staged.payload, '--scripts', staged.scripts, '--identifier', 'com.github.superd', '--version', version, '--install-location', '/', '--ownership', 'recommended', component], { stdio: 'inherit' });
  execFileSync('productbuild', ['--package', component, ...(sign ? ['--sign', sign] : []), product], { stdio: 'inherit' });
  const profile = process.env.SUPERD_NOTARY_PROFILE;
  if (profile) {
    execFileSync('xcrun', ['notarytool', 'submit', product, '--keychain-profile', profile, '--wait'], { stdio: 'inherit' });
    execFileSync('xcrun', ['stapler', 'staple', product], { stdio: 'inherit' });
  }
  console.log(`Built ${product}${sign ? ' (signed)' : ' (unsigned)'}${profile ? ', notarized' : ''}`);
  return 0;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
