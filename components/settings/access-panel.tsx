'use client';
import { useState } from 'react';
import { notAllowedTitle, useCanI } from '@/lib/client/can-i';
import { useApplyRbacConfig, withGroupMapping } from '@/lib/client/rbac';
import type { TRbacConfigView } from '@/lib/schemas/rbac';
import { FieldBox, TextAreaField, TextField } from '../ui/field';
import { SettingsForm } from './settings-panel';
import './gitops-settings.css';
import './projects.css';

const NOT_ALLOWED = notAllowedTitle('change', 'policy');

/** "Map an SSO group to a role": appends `g, <group>, <role>` to policy.csv and applies the ConfigMap. */
function MapGroupForm({ view, allowed }: { view: TRbacConfigView; allowed: boolean }) {
  const apply = useApplyRbacConfig();
  const [group, setGroup] = useState('');
  const [role, setRole] = useState('role:readonly');
  return (
    <SettingsForm
      // Not "group" or "role": getByLabel('Group') and getByLabel('Role') must find the two fields only.
      label="SSO mapping"
      title="Map an SSO group to a role"
      error={apply.error}
      onSubmit={() =>
        apply.mutate(withGroupMapping(view.configMap, group.trim(), role), { onSuccess: () => setGroup('') })
      }
      hint={
        <>
          Adds{' '}
          <span className="mono">
            g, {group.trim() || '<group>'}, {role}
          </span>{' '}
          to policy.csv.
        </>
      }
      submitLabel="Map group"
      pendingLabel="Applying…"
      pending={apply.isPending}
      disabled={!allowed || !group.trim()}
    >
      {allowed ? null : <p className="field-hint">{NOT_ALLOWED}</p>}
      <div className="row">
        <TextField
          id="map-group"
          label="Group"
          placeholder="my-org:team-alpha"
          required
          value={group}
          onChange={setGroup}
          disabled={!allowed}
        />
        <FieldBox id="map-role" label="Role">
          <select
            id="map-role"
            className="input"
            value={role}
            onChange={(e) => setRole(e.target.value)}
            disabled={!allowed}
          >
            {view.roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </FieldBox>
      </div>
    </SettingsForm>
  );
}

/** The effective argocd-rbac-cm as YAML, applied as written; bad lines come back with their key and line. */
function ConfigMapEditor({ view, allowed }: { view: TRbacConfigView; allowed: boolean }) {
  const apply = useApplyRbacConfig();
  const [yaml, setYaml] = useState(view.yaml);
  return (
    <SettingsForm
      label="RBAC ConfigMap"
      title="argocd-rbac-cm"
      error={apply.error}
      onSubmit={() => apply.mutate(yaml)}
      hint={
        view.applied
          ? `Applied by ${view.updatedBy ?? '?'} at ${view.updatedAt ? new Date(view.updatedAt).toLocaleString() : '?'}.`
          : 'The defaults: nothing applied yet. Argo CD’s argocd-rbac-cm is accepted unchanged.'
      }
      submitLabel="Apply"
      pendingLabel="Applying…"
      pending={apply.isPending}
      disabled={!allowed || !yaml.trim()}
    >
      {allowed ? null : <p className="field-hint">{NOT_ALLOWED}</p>}
      <TextAreaField
        id="rbac-yaml"
        label="ConfigMap YAML"
        rows={16}
        value={yaml}
        onChange={setYaml}
        readOnly={!allowed}
      />
    </SettingsForm>
  );
}

/** Settings → Access: the RBAC ConfigMap, the built-in roles, and mapping an SSO group to a role. */
export function AccessPanel({ view }: { view: TRbacConfigView }) {
  const can = useCanI([{ resource: 'rbac', action: 'update', object: '*' }]);
  const allowed = can.can('rbac', 'update', '*');
  const policyDefault = view.configMap.data['policy.default']?.trim();
  return (
    <div className="access-grid">
      <div className="settings-stack">
        {/* A new effective ConfigMap (applied here or by Map group) starts the editor afresh. */}
        <ConfigMapEditor key={view.yaml} view={view} allowed={allowed} />
      </div>
      <div className="settings-stack">
        <MapGroupForm view={view} allowed={allowed} />
        <section className="card">
          <h2>Built-in roles</h2>
          <dl className="access-roles">
            <dt>role:admin</dt>
            <dd>
              Every action on every resource, including projects, accounts and this policy. The local admin has it.
            </dd>
            <dt>role:readonly</dt>
            <dd>
              Read everything (apps, logs, pipelines, runs, projects, clusters, repositories), never secret values.
            </dd>
            <dt>policy.default</dt>
            <dd>
              {policyDefault ? (
                <>
                  Every signed-in user has <span className="mono">{policyDefault}</span>.
                </>
              ) : (
                'None: users only have what g lines give them.'
              )}
            </dd>
          </dl>
          <details style={{ marginTop: 12 }}>
            <summary>The built-in policy</summary>
            <pre className="mono access-builtin">{view.builtinPolicy}</pre>
          </details>
        </section>
      </div>
    </div>
  );
}
