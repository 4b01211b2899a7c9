import type { Logform } from 'winston';
import { LEVEL } from './infoSymbols';
import { renderMessage } from './lineFormat';
import { TransportStream, type TransportStreamOptions } from './transportBase';
import type { SecretRegistry } from './secretRegistry';
import type { LogLevel, UnifiedLogSink } from './unifiedLogSink';

export { selectUnifiedLogSink, type SelectUnifiedLogSinkOptions, type UnifiedLogChoice, type UnifiedLogMode } from './unifiedLogChoice';

/**
 * Hands each (already redacted) entry to a {@link UnifiedLogSink}; never waits for it. Like the
 * file's lines, the finished message is masked once more with the registry.
 */
export class UnifiedLogTransport extends TransportStream {
  readonly sink: UnifiedLogSink;
  readonly #registry: SecretRegistry | undefined;

  constructor(sink: UnifiedLogSink, registry?: SecretRegistry, options: TransportStreamOptions = {}) {
    super(options);
    this.sink = sink;
    this.#registry = registry;
  }

  override log(info: Logform.TransformableInfo, next: () => void): void {
    try {
      this.sink.write({
        level: (info[LEVEL] ?? info.level) as LogLevel,
        category: typeof info.category === 'string' ? info.category : 'superd',
        message: this.#registry ? this.#registry.mask(renderMessage(info)) : renderMessage(info),
      });
    } catch {
      // best effort: the file log has the entry
    }
    next();
  }
}
