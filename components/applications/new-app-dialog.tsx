'use client';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { useCreateApplication } from '@/lib/client/applications';
import { useClusters, useRepositories } from '@/lib/client/gitops-settings';
import { Segmented } from '../ui/choice';
import { ErrorAlert } from '../ui/error-alert';
import { Check, Modal, ModalButtons } from '../ui/modal';
import { documentFromFields, documentFromYaml, EMPTY_FIELDS, YAML_EXAMPLE, type NewAppFields } from './new-app-form';

/** What automated sync may also do; both are off while automated sync is. */
const AUTOMATION_OPTIONS = [
  ['prune', 'Prune'],
  ['selfHeal', 'Self heal'],
] as const;
const MODES = [
  { value: 'form', label: 'Form' },
  { value: 'yaml', label: 'Application YAML' },
] as const;

/** "New app": a form for the common fields, or Argo CD Application YAML pasted as is. */
export function NewAppDialog({ primary = true }: { primary?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const create = useCreateApplication();
  const [mode, setMode] = useState<'form' | 'yaml'>('form');
  const [fields, setFields] = useState<NewAppFields>(EMPTY_FIELDS);
  const [yaml, setYaml] = useState(YAML_EXAMPLE);
  const [parseError, setParseError] = useState<string | null>(null);
  const [opened, setOpened] = useState(false);
  const repos = useRepositories();
  const clusters = useClusters();
  const set = (f: Partial<NewAppFields>) => setFields((s) => ({ ...s, ...f }));

  const open = () => {
    create.reset();
    setParseError(null);
    setOpened(true);
    ref.current?.showModal();
  };
  const submit = () => {
    let doc: unknown;
    if (mode === 'yaml') {
      const parsed = documentFromYaml(yaml);
      if ('error' in parsed) return setParseError(parsed.error);
      doc = parsed.doc;
    } else doc = documentFromFields({ ...fields, cluster: fields.cluster || clusters.data?.[0]?.name || '' });
    setParseError(null);
    create.mutate(doc, {
      onSuccess: (app) => {
        ref.current?.close();
        router.push(`/applications/${encodeURIComponent(app.metadata.name)}`);
      },
    });
  };
  const field = (
    key: 'name' | 'repoURL' | 'path' | 'targetRevision' | 'namespace',
    label: string,
    extra: { placeholder?: string; list?: string } = {},
  ) => (
    <div className="field">
      <label htmlFor={`new-app-${key}`}>{label}</label>
      <input
        id={`new-app-${key}`}
        className="input"
        value={fields[key]}
        onChange={(e) => set({ [key]: e.target.value })}
        {...extra}
      />
    </div>
  );

  return (
    <Modal
      opener={{ label: 'New app', icon: 'plus', className: primary ? 'btn btn-primary' : 'btn', onOpen: open }}
      dialogRef={ref}
      id="new-app"
      title="New application"
      subtitle="Follows a path in a Git repository and keeps a namespace of a registered cluster in sync with it."
      onSubmit={submit}
      foot={<ModalButtons dialogRef={ref} label="Create" pendingLabel="Creating…" pending={create.isPending} />}
    >
      <Segmented label="How to describe the app" value={mode} onChange={setMode} options={MODES} />
      <ErrorAlert error={parseError} />
      <ErrorAlert error={create.error} />
      {mode === 'yaml' ? (
        <div className="field">
          <label htmlFor="new-app-yaml">Argo CD Application (argoproj.io/v1alpha1)</label>
          <textarea
            id="new-app-yaml"
            className="input mono"
            rows={18}
            spellCheck={false}
            value={yaml}
            onChange={(e) => setYaml(e.target.value)}
          />
        </div>
      ) : (
        <>
          {field('name', 'Name', { placeholder: 'guestbook' })}
          {field('repoURL', 'Repository URL', {
            placeholder: 'https://github.com/acme/deploy.git',
            list: 'new-app-repos',
          })}
          <datalist id="new-app-repos">
            {opened ? repos.data?.map((r) => <option key={r.id} value={r.url} />) : null}
          </datalist>
          <div className="form-pair">
            {field('path', 'Path', { placeholder: 'apps/guestbook' })}
            {field('targetRevision', 'Revision', { placeholder: 'HEAD, a branch, tag or SHA' })}
          </div>
          <div className="form-pair">
            <div className="field">
              <label htmlFor="new-app-cluster">Cluster</label>
              <select
                id="new-app-cluster"
                className="input"
                value={fields.cluster}
                onChange={(e) => set({ cluster: e.target.value })}
              >
                {(clusters.data ?? []).length === 0 ? <option value="">No clusters registered</option> : null}
                {clusters.data?.map((c) => (
                  <option key={c.id} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            {field('namespace', 'Namespace')}
          </div>
          <fieldset className="checks">
            <legend>Sync policy</legend>
            <Check checked={fields.automated} onChange={(automated) => set({ automated })}>
              Automated sync
            </Check>
            {AUTOMATION_OPTIONS.map(([key, text]) => (
              <Check
                key={key}
                className={fields.automated ? undefined : 'muted'}
                disabled={!fields.automated}
                checked={fields[key]}
                onChange={(on) => set({ [key]: on })}
              >
                {text}
              </Check>
            ))}
            <Check checked={fields.createNamespace} onChange={(createNamespace) => set({ createNamespace })}>
              Create namespace
            </Check>
          </fieldset>
        </>
      )}
      <p className="field-hint">
        Or from a terminal: <code>keelson app create -f application.yaml</code>
      </p>
    </Modal>
  );
}
