'use client';
import { useEffect, useState, type ReactNode } from 'react';
import { diffStats, splitRows, unifiedRows, type SideCell } from '@/lib/domain/gitops/diff-rows';
import { Segmented } from '../ui/choice';
import './diff-view.css';

export type DiffMode = 'split' | 'unified';
const LAYOUTS = [
  { value: 'split', label: 'Side by side' },
  { value: 'unified', label: 'Unified' },
] as const;

/** The rows of a diff table: a hunk header (`@@ … @@`) spans the whole row, other rows get their cells. */
function rowsOf<R extends { kind: string; text?: string }>(rows: R[], span: number, cells: (row: R) => ReactNode) {
  return rows.map((r, i) =>
    r.kind === 'hunk' ? (
      <tr key={i} className="dv-hunk">
        <td colSpan={span}>{r.text}</td>
      </tr>
    ) : (
      <tr key={i}>{cells(r)}</tr>
    ),
  );
}

function Cell({ cell }: { cell?: SideCell }) {
  return (
    <>
      <td className={`dv-no${cell ? ` dv-${cell.kind}` : ' dv-blank'}`}>{cell?.no ?? ''}</td>
      <td className={`dv-text${cell ? ` dv-${cell.kind}` : ' dv-blank'}`}>
        {cell && cell.kind !== 'context' ? <span className="dv-mark">{cell.kind === 'add' ? '+' : '−'}</span> : null}
        {cell?.text ?? ''}
      </td>
    </>
  );
}

/** A unified diff (live → desired) shown side by side or unified, with a toggle. */
export function DiffView({
  diff,
  leftLabel = 'Live',
  rightLabel = 'Desired',
  emptyText = 'No difference: live matches desired.',
}: {
  diff: string;
  leftLabel?: string;
  rightLabel?: string;
  emptyText?: string;
}) {
  const [mode, setMode] = useState<DiffMode>('split');
  // Two columns of YAML do not fit a phone; start unified there.
  useEffect(() => {
    if (window.matchMedia('(max-width: 760px)').matches) setMode('unified');
  }, []);
  if (!diff.trim()) return <p className="muted dv-empty">{emptyText}</p>;
  const stats = diffStats(diff);
  return (
    <div className="diff-view" data-testid="diff-view">
      <div className="dv-toolbar">
        <span className="dv-stats">
          <span className="dv-plus">+{stats.added}</span> <span className="dv-minus">−{stats.removed}</span>
        </span>
        <Segmented label="Diff layout" value={mode} onChange={setMode} options={LAYOUTS} />
      </div>
      <div className="dv-scroll">
        {mode === 'split' ? (
          <table className="dv-table dv-split">
            <colgroup>
              <col className="dv-col-no" />
              <col />
              <col className="dv-col-no" />
              <col />
            </colgroup>
            <thead>
              <tr>
                <th colSpan={2}>{leftLabel}</th>
                <th colSpan={2}>{rightLabel}</th>
              </tr>
            </thead>
            <tbody>
              {rowsOf(splitRows(diff), 4, (r) => (
                <>
                  <Cell cell={r.left} />
                  <Cell cell={r.right} />
                </>
              ))}
            </tbody>
          </table>
        ) : (
          <table className="dv-table">
            <colgroup>
              <col className="dv-col-no" />
              <col className="dv-col-no" />
              <col />
            </colgroup>
            <tbody>
              {rowsOf(unifiedRows(diff), 3, (r) => (
                <>
                  <td className={`dv-no dv-${r.kind}`}>{r.oldNo ?? ''}</td>
                  <td className={`dv-no dv-${r.kind}`}>{r.newNo ?? ''}</td>
                  <td className={`dv-text dv-${r.kind}`}>
                    <span className="dv-mark">{r.kind === 'add' ? '+' : r.kind === 'del' ? '−' : ' '}</span>
                    {r.text}
                  </td>
                </>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
