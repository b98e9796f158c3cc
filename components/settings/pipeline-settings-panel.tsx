'use client';
import { useState } from 'react';
import { useCanI } from '@/lib/client/can-i';
import { useUpdatePipelineSettings } from '@/lib/client/pipeline-settings';
import type { TPipelineSettingsView } from '@/lib/schemas/pipeline-settings';
import { TextField } from '../ui/field';
import { Ago } from '../ui/ago';
import { Check } from '../ui/modal';
import { SettingsForm } from './settings-panel';
import './gitops-settings.css';

/** Changing where pipelines run is `clusters, update, *` (role:admin). */
const CHANGE = { resource: 'clusters', action: 'update', object: '*' } as const;
const LOCAL = '';

function InForce({ view }: { view: TPipelineSettingsView }) {
  const e = view.effective;
  return (
    <section className="card" aria-label="Executor in force" data-testid="executor-in-force">
      <div className="wp-head">
        <h2>Executor in force</h2>
        <span className={e.executor === 'kubernetes' ? 'wp-state wp-on' : 'wp-state'} data-testid="executor-kind">
          {e.executor === 'kubernetes' ? 'Kubernetes' : 'Local'}
        </span>
      </div>
      {e.executor === 'kubernetes' ? (
        <p>
          TaskRuns run as pods on cluster <strong className="mono">{e.cluster}</strong>, in namespace{' '}
          <code>{view.setting.namespace}</code> (<code>{'{project}'}</code> is the run&apos;s project; created if
          missing), at most {view.setting.maxConcurrentTaskRuns} at once across all workers.
        </p>
      ) : (
        <p>TaskRuns run on the workers&apos; own hosts, steps sandboxed (no cluster is set for pipelines).</p>
      )}
      {view.envCluster ? (
        <p className="field-hint" data-testid="env-override">
          Set by the environment: <code>KEELSON_PIPELINE_CLUSTER={view.envCluster}</code> wins over the cluster stored
          below ({view.setting.cluster ?? 'none'}). Unset it on the workers to use the stored one.
        </p>
      ) : null}
      {!e.clusterRegistered ? (
        <p className="field-hint" role="alert">
          No registered cluster is named {e.cluster}: TaskRuns that need it fail with that reason. Register it under
          Settings → Clusters.
        </p>
      ) : null}
      <p className="field-hint" style={{ marginBottom: 0 }}>
        {view.setting.allowExecutorOverride ? (
          <>
            A PipelineRun, Pipeline, TaskRun or Task may choose for itself with the annotation{' '}
            <code>keelson.dev/executor: local</code> or <code>kubernetes</code>.{' '}
          </>
        ) : (
          <span data-testid="executor-override-off">
            A PipelineRun, Pipeline, TaskRun or Task naming another executor with the annotation{' '}
            <code>keelson.dev/executor</code> is refused when created.{' '}
          </span>
        )}
        {view.updatedBy && view.updatedAt ? (
          <>
            Last changed by {view.updatedBy}, <Ago at={view.updatedAt} />.
          </>
        ) : (
          'The defaults hold (nothing stored yet).'
        )}
      </p>
    </section>
  );
}

const int = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : NaN);

/** Settings → Pipelines: where TaskRuns run (the local executor, or pods on a registered cluster). */
export function PipelineSettingsPanel({ view }: { view: TPipelineSettingsView }) {
  const update = useUpdatePipelineSettings();
  const canI = useCanI([CHANGE]);
  const allowed = canI.can(CHANGE.resource, CHANGE.action, CHANGE.object);
  const s = view.setting;
  const [cluster, setCluster] = useState(s.cluster ?? LOCAL);
  const [namespace, setNamespace] = useState(s.namespace);
  const [max, setMax] = useState(String(s.maxConcurrentTaskRuns));
  const [keep, setKeep] = useState(String(s.keepFinishedPodsMinutes));
  const [start, setStart] = useState(String(s.startTimeoutSeconds));
  const [deny, setDeny] = useState(s.podEgressDenyCidrs.join(', '));
  const [allowOverride, setAllowOverride] = useState(s.allowExecutorOverride);
  const submit = () =>
    update.mutate({
      // Fields this form does not show (isolation, quota, override) are sent back as they are.
      ...s,
      cluster: cluster === LOCAL ? null : cluster,
      namespace: namespace.trim(),
      maxConcurrentTaskRuns: int(max),
      keepFinishedPodsMinutes: int(keep),
      startTimeoutSeconds: int(start),
      podEgressDenyCidrs: deny
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
      allowExecutorOverride: allowOverride,
    });
  const choices = s.cluster && !view.clusters.includes(s.cluster) ? [...view.clusters, s.cluster] : view.clusters;
  return (
    <div className="settings-stack">
      <InForce view={view} />
      <SettingsForm
        label="Pipeline executor"
        title="Where TaskRuns run"
        error={update.error}
        onSubmit={submit}
        hint={
          allowed
            ? 'Workers follow a change within seconds; TaskRuns already running finish where they started.'
            : 'You are not allowed to change where pipelines run (clusters, update, * is needed).'
        }
        submitLabel="Save"
        pendingLabel="Saving…"
        pending={update.isPending}
        disabled={!allowed}
      >
        <div className="row">
          <div className="field" style={{ flex: 1, minWidth: 180 }}>
            <label htmlFor="pipelines-cluster">Cluster</label>
            <select
              id="pipelines-cluster"
              className="input"
              value={cluster}
              disabled={!allowed}
              onChange={(e) => setCluster(e.target.value)}
            >
              <option value={LOCAL}>None: the local executor</option>
              {choices.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
          <TextField
            id="pipelines-namespace"
            label="Namespace"
            placeholder="{project}"
            value={namespace}
            disabled={!allowed}
            onChange={setNamespace}
          />
        </div>
        <div className="row" style={{ marginTop: 12 }}>
          <TextField
            id="pipelines-max"
            label="TaskRuns at once"
            inputMode="numeric"
            value={max}
            disabled={!allowed}
            onChange={setMax}
          />
          <TextField
            id="pipelines-keep"
            label="Keep finished pods (minutes)"
            inputMode="numeric"
            value={keep}
            disabled={!allowed}
            onChange={setKeep}
          />
          <TextField
            id="pipelines-start"
            label="Start timeout (seconds)"
            inputMode="numeric"
            value={start}
            disabled={!allowed}
            onChange={setStart}
          />
        </div>
        <div className="row" style={{ marginTop: 12 }}>
          <TextField
            id="pipelines-deny"
            label="Pods may not reach (IPv4 ranges, besides 169.254.0.0/16)"
            placeholder="10.0.0.0/8, 172.16.0.0/12"
            value={deny}
            disabled={!allowed}
            onChange={setDeny}
          />
        </div>
        <div style={{ marginTop: 12 }}>
          <Check checked={allowOverride} disabled={!allowed} onChange={setAllowOverride}>
            Runs may choose their executor with the annotation <code>keelson.dev/executor</code>
          </Check>
        </div>
      </SettingsForm>
    </div>
  );
}
