/** `npm run docs:generate`: writes docs/com.github.superd.json and the example .mobileconfig. */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { renderArtefacts } from './adminArtefacts';

async function generate(): Promise<void> {
  const docs = path.resolve(__dirname, '../../docs');
  const { schema, mobileconfig } = await renderArtefacts();
  await writeFile(path.join(docs, 'com.github.superd.json'), schema);
  await writeFile(path.join(docs, 'com.github.superd.example.mobileconfig'), mobileconfig);
  console.log(`wrote ${path.join(docs, 'com.github.superd.json')} and the example .mobileconfig`);
}

generate().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
