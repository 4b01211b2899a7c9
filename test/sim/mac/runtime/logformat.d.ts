// Types of runtime/logformat.js (plain CommonJS shared by the fakes and the TypeScript helpers).

export interface LogEntry {
  traceID: number;
  eventMessage: string;
  eventType: string;
  source: null;
  formatString: string;
  activityIdentifier: number;
  subsystem: string;
  category: string;
  threadID: number;
  senderImageUUID: string;
  backtrace: { frames: unknown[] };
  bootUUID: string;
  processImagePath: string;
  timestamp: string;
  senderImagePath: string;
  machTimestamp: number;
  messageType: string;
  processImageUUID: string;
  processID: number;
  senderProgramCounter: number;
  parentActivityIdentifier: number;
  timezoneName: string;
}

export type LogEntryFields = Partial<LogEntry> & { process?: string };

export function makeEntry(fields: LogEntryFields): LogEntry;
export function parseLine(line: string): LogEntry | null;
export function render(entry: LogEntry, style: 'ndjson' | 'compact' | 'default'): string;
export function renderCompact(entry: LogEntry): string;
export function renderDefault(entry: LogEntry): string;
export function headerLines(style: string | undefined, predicate: string | undefined): string[];
export function compilePredicate(predicate: string | undefined): (entry: LogEntry) => boolean;
export function longTimestamp(date?: Date): string;
export function processPath(name: string): string;
