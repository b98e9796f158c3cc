'use client';
import { useRef, useState } from 'react';
import { useApplyProject } from '@/lib/client/projects';
import { ErrorAlert } from '../ui/error-alert';
import { TextAreaField } from '../ui/field';
import { Modal, ModalButtons } from '../ui/modal';

const NEW_PROJECT = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: team-a
spec:
  description: Team A's applications and pipelines
  sourceRepos:
    - https://github.com/acme/team-a-*
  destinations:
    - server: https://kubernetes.default.svc
      namespace: team-a
  roles:
    - name: developers
      policies:
        - p, proj:team-a:developers, applications, sync, team-a/*, allow
      groups:
        - acme:team-a
`;

/** "New project" or a row's "Edit": an AppProject YAML editor that applies (creates or replaces) it. */
export function ApplyProjectDialog({
  yaml,
  name,
  allowed,
}: {
  /** The project as YAML to edit; a template for a new one when absent. */
  yaml?: string;
  name?: string;
  allowed: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const apply = useApplyProject();
  const [text, setText] = useState(yaml ?? NEW_PROJECT);
  const what = name ? `project ${name}` : 'projects';
  return (
    <Modal
      dialogRef={ref}
      id={name ? `edit-project-${name}` : 'new-project'}
      title={name ? `Edit project ${name}` : 'New project'}
      subtitle="An Argo CD AppProject (argoproj.io/v1alpha1), applied as written"
      wide
      opener={{
        label: name ? 'Edit' : 'New project',
        className: name ? 'btn btn-sm' : 'btn btn-primary',
        onOpen: () => {
          setText(yaml ?? NEW_PROJECT);
          apply.reset();
          ref.current?.showModal();
        },
      }}
      onSubmit={() => apply.mutate(text, { onSuccess: () => ref.current?.close() })}
      foot={
        <ModalButtons
          dialogRef={ref}
          label="Apply"
          pendingLabel="Applying…"
          pending={apply.isPending}
          disabled={!allowed || !text.trim()}
        />
      }
    >
      {allowed ? null : <p className="field-hint">You are not allowed to change {what}.</p>}
      <ErrorAlert error={apply.error} />
      <TextAreaField
        id={name ? `project-yaml-${name}` : 'project-yaml'}
        label="AppProject YAML"
        rows={18}
        value={text}
        onChange={setText}
        readOnly={!allowed}
      />
    </Modal>
  );
}
