export type OutputFormat = 'table' | 'json';

export function parseOutput(value: string | undefined): OutputFormat {
  if (value === undefined || value === 'wide' || value === 'table') return 'table';
  if (value === 'json') return 'json';
  throw new Error(`--output must be json or table, not "${value}"`);
}

/** Aligned columns for people; JSON for machines. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('   ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function print(format: OutputFormat, data: unknown, table: () => string): void {
  console.log(format === 'json' ? JSON.stringify(data, null, 2) : table());
}
