/** Shared by the bench sections: the median of samples, and one budget line with PASS or OVER. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** `  name   1.23× (budget ≤ 1.50×)  PASS  detail`; a count budget is printed without the ×. */
export function budgetLine(name: string, value: number, budget: number, detail: string, unit: '×' | '' = '×'): string {
  const shown = unit === '×' ? `${value.toFixed(2)}×` : String(value);
  const limit = unit === '×' ? `${budget.toFixed(2)}×` : String(budget);
  return `  ${name.padEnd(26)} ${shown.padStart(6)}  (budget ≤ ${limit})  ${value <= budget ? 'PASS' : 'OVER'}  ${detail}`;
}
