/**
 * `npm run stage [-- --out=DIR]`: stages the package payload (default build/), prints its
 * manifest (mode, owner, size, path) and its size with and without Node, and exits 1 when the
 * payload without Node is over its budget.
 */
import * as path from 'node:path';
import { stagePayload } from './stagePayload';

const MB = 1_000_000;
const mb = (bytes: number) => `${(bytes / MB).toFixed(2)} MB`;

async function main(): Promise<number> {
  const repo = path.resolve(__dirname, '../..');
  const outArg = process.argv.slice(2).find((a) => a.startsWith('--out='));
  const out = path.resolve(outArg ? outArg.slice('--out='.length) : path.join(repo, 'build'));
  const result = await stagePayload(repo, out);

  console.log(`Manifest (${path.join(out, 'manifest.json')}):`);
  for (const e of result.manifest) {
    console.log(`  ${e.mode} ${e.owner}:${e.group} ${(e.type === 'dir' ? '-' : String(e.bytes)).padStart(9)}  ${e.path}${e.type === 'dir' ? '/' : ''}`);
  }
  console.log(`Bundled packages: ${result.bundle.packages.map((p) => `${p.name}@${p.version}`).join(', ')}`);
  const { size } = result;
  const files = result.manifest.filter((e) => e.type === 'file').length;
  console.log(`Payload: ${files} files in ${result.payload}; package scripts in ${result.scripts}`);
  console.log(`  without Node  ${mb(size.withoutNode)} (${size.withoutNode} bytes; limit ${mb(size.limitWithoutNode)})`);
  console.log(`  with Node     ${mb(size.withNode)}${size.nodeEstimated ? ` (estimated with this OS's Node ${process.version} binary)` : ''}`);
  for (const note of result.notes) console.log(`Note: ${note}`);
  if (size.withoutNode > size.limitWithoutNode) {
    console.error(`The payload without Node is ${mb(size.withoutNode)}, over its ${mb(size.limitWithoutNode)} limit.`);
    return 1;
  }
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
