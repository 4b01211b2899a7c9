/** `npm run docs:generate`: writes docs/com.github.superd.json, the example .mobileconfig and docs/super-keys.md. */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { renderArtefacts } from './adminArtefacts';

async function generate(): Promise<void> {
  const docs = path.resolve(__dirname, '../../docs');
  const { schema, mobileconfig, superKeys } = await renderArtefacts();
  await writeFile(path.join(docs, 'com.github.superd.json'), schema);
  await writeFile(path.join(docs, 'com.github.superd.example.mobileconfig'), mobileconfig);
  await writeFile(path.join(docs, 'super-keys.md'), superKeys);
  console.log(`wrote ${path.join(docs, 'com.github.superd.json')}, the example .mobileconfig and super-keys.md`);
}

generate().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
