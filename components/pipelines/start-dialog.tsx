'use client';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { paramSpecType, type TParamSpec } from '@/lib/domain/pipeline/param-schemas';
import type { TPipelineSpec } from '@/lib/domain/pipeline/pipeline-schemas';
import { useStartPipeline } from '@/lib/client/pipeline-runs';
import { notAllowedTitle, useCanI } from '@/lib/client/can-i';
import { ErrorAlert } from '../ui/error-alert';
import { Modal, ModalButtons } from '../ui/modal';
import { defaultText, startRequest, type WorkspaceChoice, type WorkspaceKind } from './start-form';
import './pipelines.css';

const REF_LABEL: Partial<Record<WorkspaceKind, string>> = {
  pvc: 'Claim name',
  configMap: 'ConfigMap name',
  secret: 'Secret name',
};

function ParamField({ spec, value, onChange }: { spec: TParamSpec; value: string; onChange: (v: string) => void }) {
  const id = `param-${spec.name}`;
  const type = paramSpecType(spec);
  const hint =
    type === 'array' ? 'One item a line, or comma-separated.' : type === 'object' ? 'One key=value a line.' : null;
  return (
    <div className="field">
      <label htmlFor={id}>
        {spec.name}{' '}
        <span className="muted" style={{ fontWeight: 400 }}>
          ({type}
          {spec.default === undefined ? ', required' : ''})
        </span>
      </label>
      {spec.enum ? (
        <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
          {spec.default === undefined ? <option value="">Choose…</option> : null}
          {spec.enum.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      ) : type === 'string' ? (
        <input id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <textarea id={id} className="input mono" rows={3} value={value} onChange={(e) => onChange(e.target.value)} />
      )}
      {spec.description || hint ? (
        <span className="field-hint">{[spec.description, hint].filter(Boolean).join(' ')}</span>
      ) : null}
    </div>
  );
}

/** "Start" button and its dialog: a form generated from the pipeline's params and workspaces. */
export function StartDialog({
  pipeline,
  project,
  spec,
}: {
  pipeline: string;
  project: string;
  spec: TPipelineSpec | null;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // The server asks this same question of every run of a stored Pipeline (runsOfPipeline in pipeline-access.ts), besides
  // the run's own name `<pipeline>-run-xxxxx`.
  const runObject = `${project}/${pipeline}-run-*`;
  const canI = useCanI([{ resource: 'pipelineruns', action: 'create', object: runObject }]);
  const allowed = canI.can('pipelineruns', 'create', runObject);
  const router = useRouter();
  const start = useStartPipeline(pipeline);
  const params = spec?.params ?? [];
  const declared = spec?.workspaces ?? [];
  const [values, setValues] = useState<Record<string, string>>({});
  const [workspaces, setWorkspaces] = useState<Record<string, WorkspaceChoice>>({});

  const open = () => {
    setValues(Object.fromEntries(params.map((p) => [p.name, defaultText(p)])));
    setWorkspaces(Object.fromEntries(declared.map((w) => [w.name, { kind: 'emptyDir', ref: '' }])));
    start.reset();
    ref.current?.showModal();
  };
  const submit = () =>
    start.mutate(startRequest(params, values, workspaces), {
      onSuccess: (run) => {
        ref.current?.close();
        router.push(`/runs/${encodeURIComponent(run.name)}`);
      },
    });

  return (
    <Modal
      opener={{
        label: 'Start',
        className: 'btn btn-primary',
        onOpen: open,
        disabled: !allowed,
        title: canI.ready && !allowed ? notAllowedTitle('start', 'pipeline') : undefined,
      }}
      dialogRef={ref}
      id="start"
      className="start-dialog"
      title={`Start ${pipeline}`}
      subtitle="Steps run on Keelson's workers with their own tools; step images are recorded, not pulled."
      onSubmit={submit}
      foot={<ModalButtons dialogRef={ref} label="Start run" pendingLabel="Starting…" pending={start.isPending} />}
    >
      <ErrorAlert error={start.error} issuesUnlessInMessage />
      <div className="dialog-section">Params</div>
      {params.length === 0 ? <p className="muted">This pipeline declares no params.</p> : null}
      {params.map((p) => (
        <ParamField
          key={p.name}
          spec={p}
          value={values[p.name] ?? ''}
          onChange={(v) => setValues((s) => ({ ...s, [p.name]: v }))}
        />
      ))}
      <div className="dialog-section">Workspaces</div>
      {declared.length === 0 ? <p className="muted">This pipeline declares no workspaces.</p> : null}
      {declared.map((w) => {
        const choice = workspaces[w.name] ?? { kind: 'emptyDir', ref: '' };
        const set = (c: Partial<WorkspaceChoice>) => setWorkspaces((s) => ({ ...s, [w.name]: { ...choice, ...c } }));
        const refLabel = REF_LABEL[choice.kind];
        return (
          <div className="field" key={w.name}>
            <label htmlFor={`ws-${w.name}`}>
              {w.name}{' '}
              {w.optional ? (
                <span className="muted" style={{ fontWeight: 400 }}>
                  (optional)
                </span>
              ) : null}
            </label>
            <div className="ws-row">
              <select
                id={`ws-${w.name}`}
                className="input"
                value={choice.kind}
                onChange={(e) => set({ kind: e.target.value as WorkspaceKind })}
              >
                <option value="emptyDir">emptyDir</option>
                <option value="pvc">PVC</option>
                <option value="configMap">ConfigMap</option>
                <option value="secret">Secret</option>
                {w.optional ? <option value="none">not bound</option> : null}
              </select>
              {refLabel ? (
                <input
                  className="input"
                  aria-label={`${w.name} ${refLabel}`}
                  placeholder={refLabel}
                  value={choice.ref}
                  onChange={(e) => set({ ref: e.target.value })}
                />
              ) : (
                <span className="field-hint" style={{ alignSelf: 'center' }}>
                  {choice.kind === 'none' ? 'Left unbound.' : 'A fresh folder for this run, shared by its tasks.'}
                </span>
              )}
            </div>
            {w.description ? <span className="field-hint">{w.description}</span> : null}
          </div>
        );
      })}
    </Modal>
  );
}
