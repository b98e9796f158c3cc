import type { ReactNode } from 'react';

/** A column head: its text, and `hideSm` for columns phones leave out. */
export type Column = string | { label: string; hideSm?: boolean };

/** A `.table` with its head row; the rows are the children. */
export function DataTable({
  label,
  columns,
  className = 'table',
  children,
}: {
  label: string;
  columns: (Column | false)[];
  className?: string;
  children: ReactNode;
}) {
  return (
    <table className={className} aria-label={label}>
      <thead>
        <tr>
          {columns.map((c, i) =>
            c === false ? null : typeof c === 'string' ? (
              <th key={i}>{c || null}</th>
            ) : (
              <th key={i} className={c.hideSm ? 'hide-sm' : undefined}>
                {c.label}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** Columns phones hide. */
export const wide = (label: string): Column => ({ label, hideSm: true });

/** What a cell shows when it has no value. */
export function Dash() {
  return <span className="muted">—</span>;
}

/** A card that holds a table edge to edge and scrolls sideways on narrow screens. */
export function TableCard({ children }: { children: ReactNode }) {
  return (
    <section className="card" style={{ padding: 0, overflowX: 'auto' }}>
      {children}
    </section>
  );
}
