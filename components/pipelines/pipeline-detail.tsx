'use client';
import Link from 'next/link';
import { useMemo } from 'react';
import { stringify } from 'yaml';
import { concurrencyOfDocument, describeConcurrency } from '@/lib/domain/pipeline/concurrency';
import { layoutPipelineGraph } from '@/lib/domain/pipeline/layout-graph';
import type { TRunPage } from '@/lib/schemas/pipeline-runs';
import type { TPipelineDetail } from '@/lib/schemas/pipelines';
import { usePipeline, usePipelineRuns } from '@/lib/client/pipeline-runs';
import { PipelineGraph } from '../pipeline-graph/pipeline-graph';
import { RunsTable } from '../runs/runs-table';
import { parsePipelineSpec } from '../runs/task-states';
import { StartDialog } from './start-dialog';
import './pipelines.css';
import { Ago } from '../ui/ago';

const HISTORY = 10;

/** Pipeline page: header with Start, the DAG, the spec as YAML and this pipeline's runs, all live. */
export function PipelineDetail({ initial, initialRuns }: { initial: TPipelineDetail; initialRuns: TRunPage }) {
  const { data: pipeline } = usePipeline(initial.name, initial);
  const { data: runs } = usePipelineRuns({ pipeline: initial.name, page: 1, limit: HISTORY }, initialRuns);
  const spec = useMemo(() => parsePipelineSpec(pipeline.document.spec), [pipeline.document]);
  const graph = useMemo(() => (spec ? layoutPipelineGraph(spec) : null), [spec]);
  const yaml = useMemo(() => {
    // Tekton's usual key order, whatever order the document was stored in.
    const { apiVersion, kind, metadata, spec: body, ...rest } = pipeline.document;
    return stringify({ apiVersion, kind, metadata, spec: body, ...rest }, { lineWidth: 0 });
  }, [pipeline.document]);
  const concurrency = concurrencyOfDocument(pipeline.document);
  const updatedAt = (pipeline.document.metadata as { creationTimestamp?: string } | undefined)?.creationTimestamp;

  return (
    <div className="stack">
      <header className="page-head" style={{ marginBottom: 0 }}>
        <div style={{ minWidth: 0 }}>
          <div className="head-title">
            <h1>{pipeline.name}</h1>
            <span
              className="status-badge muted"
              style={{ border: '1px solid var(--border)', borderRadius: 999, padding: '1px 9px', fontSize: 12 }}
            >
              v{pipeline.version}
            </span>
          </div>
          <div className="head-meta">
            <span>project {pipeline.project}</span>
            <span>
              {spec ? `${spec.tasks.length} task${spec.tasks.length === 1 ? '' : 's'}` : 'spec not readable'}
              {spec?.finally?.length ? ` + ${spec.finally.length} finally` : ''}
            </span>
            {pipeline.versions.length > 1 ? <span>{pipeline.versions.length} versions</span> : null}
            {updatedAt ? (
              <span>
                applied <Ago at={updatedAt} />
              </span>
            ) : null}
            {concurrency ? (
              <span data-testid="pipeline-concurrency" title="keelson.dev/concurrency annotations">
                {describeConcurrency(concurrency)}
              </span>
            ) : null}
            {spec?.description ? <span>{spec.description}</span> : null}
          </div>
        </div>
        <StartDialog pipeline={pipeline.name} project={pipeline.project} spec={spec} />
      </header>

      <section className="card" aria-label="Pipeline graph" style={{ padding: 12 }}>
        {graph ? (
          <PipelineGraph graph={graph} />
        ) : (
          <p className="muted">The stored spec could not be read; see the YAML below.</p>
        )}
      </section>

      <div className="detail-grid">
        <section className="card card-flush" aria-label="Run history">
          <div className="card-head">
            <h2>Runs</h2>
            {runs && runs.total > HISTORY ? (
              <Link href={`/runs?pipeline=${encodeURIComponent(pipeline.name)}`}>All {runs.total} runs →</Link>
            ) : null}
          </div>
          {runs && runs.items.length > 0 ? (
            <RunsTable runs={runs.items} showPipeline={false} label="Run history" />
          ) : (
            <p className="muted" style={{ padding: '0 16px 8px' }}>
              No runs yet. Press Start, or run <code>keelson pipeline start {pipeline.name}</code>.
            </p>
          )}
        </section>
        <section className="card" aria-label="Spec">
          <div className="card-head">
            <h2>Spec</h2>
            <span className="muted">as applied, v{pipeline.version}</span>
          </div>
          <pre className="code-block" data-testid="pipeline-yaml">
            {yaml}
          </pre>
        </section>
      </div>
    </div>
  );
}
