import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** `../shared` beside the clone (CI has it); tests that need it skip with a message when absent. */
export const sharedDir = path.resolve(__dirname, '../../../shared');
export const hasShared = existsSync(path.join(sharedDir, 'reference'));

export function describeWithShared(name: string, fn: () => void): void {
  if (hasShared) {
    describe(name, fn);
  } else {
    describe(name, () => {
      test.skip(`skipped: ${sharedDir} is absent (CI has ../shared beside the clone)`, () => undefined);
    });
  }
}
