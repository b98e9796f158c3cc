'use client';
import { useState } from 'react';
import { useAddCluster, useClusters, useRemoveCluster } from '@/lib/client/gitops-settings';
import type { TCluster } from '@/lib/schemas/gitops';
import { ErrorAlert } from '../ui/error-alert';
import { EmptyState } from '../ui/empty-state';
import './gitops-settings.css';

function AddClusterForm() {
  const add = useAddCluster();
  const [name, setName] = useState('');
  const [kubeconfig, setKubeconfig] = useState('');
  const [context, setContext] = useState('');
  const submit = () =>
    add.mutate(
      { name: name.trim(), kubeconfig, context: context.trim() || undefined },
      {
        onSuccess: () => {
          setName('');
          setKubeconfig('');
          setContext('');
        },
      },
    );
  return (
    <form
      className="card settings-form"
      aria-label="Add cluster"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2>Add a cluster</h2>
      <ErrorAlert error={add.error} />
      <div className="row">
        <div className="field">
          <label htmlFor="cluster-name">Name</label>
          <input
            id="cluster-name"
            className="input"
            required
            placeholder="production"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="cluster-context">Context (optional)</label>
          <input
            id="cluster-context"
            className="input"
            placeholder="the kubeconfig's current context"
            value={context}
            onChange={(e) => setContext(e.target.value)}
          />
        </div>
      </div>
      <div className="field" style={{ marginTop: 12 }}>
        <label htmlFor="cluster-kubeconfig">Kubeconfig</label>
        <textarea
          id="cluster-kubeconfig"
          className="input mono"
          rows={6}
          spellCheck={false}
          required
          placeholder={'apiVersion: v1\nkind: Config\nclusters: …'}
          value={kubeconfig}
          onChange={(e) => setKubeconfig(e.target.value)}
        />
      </div>
      <div className="settings-form-foot">
        <span className="field-hint">
          Keelson asks the API server for /version with these credentials before saving; they are encrypted and never
          shown again.
        </span>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={add.isPending || !name.trim() || !kubeconfig.trim()}
        >
          {add.isPending ? 'Connecting…' : 'Add cluster'}
        </button>
      </div>
    </form>
  );
}

/** Settings → Clusters: Kubernetes clusters apps deploy to. */
export function ClustersPanel({ initial }: { initial: TCluster[] }) {
  const { data: clusters = initial } = useClusters(initial);
  const remove = useRemoveCluster();
  return (
    <div className="settings-stack">
      <AddClusterForm />
      <ErrorAlert error={remove.error} />
      {clusters.length === 0 ? (
        <EmptyState
          icon="cluster"
          title="No clusters yet"
          example={'keelson cluster add production --kubeconfig ~/.kube/config --context prod'}
        >
          Register a cluster with a kubeconfig; applications name it as their destination.
        </EmptyState>
      ) : (
        <section className="card card-flush">
          <table className="table" aria-label="Clusters">
            <thead>
              <tr>
                <th>Name</th>
                <th className="hide-sm">Server</th>
                <th>Version</th>
                <th className="hide-sm">Added</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {clusters.map((c) => (
                <tr key={c.id}>
                  <td style={{ fontWeight: 600 }}>{c.name}</td>
                  <td className="hide-sm cell-wrap mono">{c.server ?? '—'}</td>
                  <td className="mono">{c.serverVersion ?? '—'}</td>
                  <td className="hide-sm">{new Date(c.createdAt).toLocaleDateString()}</td>
                  <td style={{ textAlign: 'right' }}>
                    <button
                      type="button"
                      className="btn btn-sm btn-danger"
                      aria-label={`Remove ${c.name}`}
                      disabled={remove.isPending}
                      onClick={() =>
                        window.confirm(`Remove cluster ${c.name}? Apps deploying to it stop syncing.`) &&
                        remove.mutate(c.name)
                      }
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
