/** `npm run stage [-- --out=DIR]`: stages the package payload (default build/). */
import * as path from 'node:path';
import { stagePayload } from './stagePayload';

const repo = path.resolve(__dirname, '../..');
const outArg = process.argv.slice(2).find((a) => a.startsWith('--out='));
const out = path.resolve(outArg ? outArg.slice('--out='.length) : path.join(repo, 'build'));
const result = stagePayload(repo, out);
console.log(`Staged ${result.manifest.length} paths in ${result.payload}; package scripts in ${result.scripts}; manifest ${path.join(out, 'manifest.json')}`);
for (const note of result.notes) console.log(`Note: ${note}`);
