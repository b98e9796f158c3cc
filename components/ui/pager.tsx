import type { ReactNode } from 'react';

interface PageStep {
  label: string;
  disabled: boolean;
  onClick: () => void;
}

/** The foot of a paged list: what is shown (and whether it is refreshing), then the two page buttons. */
export function Pager({
  className,
  testId,
  summary,
  updating,
  prev,
  next,
  middle,
}: {
  className: string;
  testId: string;
  summary: string;
  updating: boolean;
  prev: PageStep;
  next: PageStep;
  middle?: ReactNode;
}) {
  return (
    <div className={className}>
      <span className="muted" data-testid={testId}>
        {summary}
        {updating ? ' · updating' : ''}
      </span>
      <div className="actions">
        <button type="button" className="btn" disabled={prev.disabled} onClick={prev.onClick}>
          {prev.label}
        </button>
        {middle}
        <button type="button" className="btn" disabled={next.disabled} onClick={next.onClick}>
          {next.label}
        </button>
      </div>
    </div>
  );
}
