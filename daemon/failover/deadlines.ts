/** Which deadlines have passed for the current target. Pure. */
export interface DeadlineState {
  readonly soft: Date | null;
  readonly hard: Date | null;
  readonly softPassed: boolean;
  readonly hardPassed: boolean;
}

export interface DeadlineSettings {
  readonly DeadlineDateSoft?: string;
  readonly DeadlineDateHard?: string;
  readonly DeadlineDaysSoft?: number;
  readonly DeadlineDaysHard?: number;
}

/** `YYYY-MM-DD:hh:mm` in the Mac's local time. */
export function parseDeadlineDate(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, 0, 0);
}

/**
 * The soft and hard deadlines: the earlier of the date and of "days since the target was first
 * seen" (remembered across runs in the status plist), and whether each has passed.
 */
export function deadlineState(settings: DeadlineSettings, firstSeen: { at: string } | null, now: Date): DeadlineState {
  const pick = (date: string | undefined, days: number | undefined): Date | null => {
    const candidates: Date[] = [];
    const fromDate = date ? parseDeadlineDate(date) : null;
    if (fromDate) candidates.push(fromDate);
    if (days !== undefined && firstSeen) candidates.push(new Date(Date.parse(firstSeen.at) + days * 86_400_000));
    return candidates.length ? new Date(Math.min(...candidates.map((c) => c.getTime()))) : null;
  };
  const soft = pick(settings.DeadlineDateSoft, settings.DeadlineDaysSoft);
  const hard = pick(settings.DeadlineDateHard, settings.DeadlineDaysHard);
  return { soft, hard, softPassed: soft !== null && now >= soft, hardPassed: hard !== null && now >= hard };
}
