import type { Logform } from 'winston';
import { MESSAGE } from './infoSymbols';
import { TransportStream, type TransportStreamOptions } from './transportBase';

/**
 * Writes each finished line to standard error, so that standard output stays free for the
 * command's own output (`superd status --json`). The stream is looked up on each write, which
 * also lets a test capture `process.stderr.write`.
 */
export class StderrTransport extends TransportStream {
  constructor(options: TransportStreamOptions = {}) {
    super(options);
  }

  override log(info: Logform.TransformableInfo, next: () => void): void {
    try {
      process.stderr.write(`${String(info[MESSAGE])}\n`);
    } catch {
      // a closed standard error must not stop the other transports
    }
    next();
  }
}
