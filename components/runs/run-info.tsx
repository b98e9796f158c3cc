import type { TPipelineRun } from '@/lib/schemas/pipeline-runs';
import { showValue } from './task-panel';

function Pairs({ items, empty }: { items: { name: string; value: unknown }[]; empty: string }) {
  if (items.length === 0)
    return (
      <p className="muted" style={{ margin: 0 }}>
        {empty}
      </p>
    );
  return (
    <dl className="kv">
      {items.map((p) => (
        <div key={p.name} style={{ display: 'contents' }}>
          <dt>{p.name}</dt>
          <dd>{showValue(p.value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Params the run started with, the pipeline's results, and the tasks it skipped with their reasons. */
export function RunInfo({ run, finished }: { run: TPipelineRun; finished: boolean }) {
  const skipped = run.status.skippedTasks ?? [];
  const workspaces = (run.spec?.workspaces ?? []).map((w) => {
    const source = Object.keys(w).find((k) => k !== 'name' && k !== 'subPath') ?? '?';
    return { name: w.name, value: source };
  });
  return (
    <section className="card" aria-label="Run details">
      <div className="info-grid">
        <div>
          <h3>Params</h3>
          <Pairs items={run.spec?.params ?? []} empty="No params." />
        </div>
        <div>
          <h3>Workspaces</h3>
          <Pairs items={workspaces} empty="No workspaces bound." />
        </div>
        <div>
          <h3>Results</h3>
          <Pairs
            items={run.status.results ?? []}
            empty={finished ? 'No pipeline results.' : 'Pipeline results appear when the run ends.'}
          />
        </div>
        <div>
          <h3>Skipped tasks</h3>
          {skipped.length === 0 ? (
            <p className="muted" style={{ margin: 0 }}>
              None.
            </p>
          ) : (
            <dl className="kv" data-testid="skipped-tasks">
              {skipped.map((s) => (
                <div key={s.name} style={{ display: 'contents' }}>
                  <dt>{s.name}</dt>
                  <dd>{s.reason ?? 'skipped'}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      </div>
    </section>
  );
}
