'use client';
import { useState } from 'react';
import { useCanI } from '@/lib/client/can-i';
import { useAddCluster, useClusters, useRemoveCluster } from '@/lib/client/gitops-settings';
import type { TCluster } from '@/lib/schemas/gitops';
import { wide } from '../ui/data-table';
import { TextAreaField, TextField } from '../ui/field';
import { SettingsForm, SettingsList } from './settings-panel';

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
    <SettingsForm
      label="Add cluster"
      title="Add a cluster"
      error={add.error}
      onSubmit={submit}
      hint="Keelson asks the API server for /version with these credentials before saving; they are encrypted and never shown again."
      submitLabel="Add cluster"
      pendingLabel="Connecting…"
      pending={add.isPending}
      disabled={!name.trim() || !kubeconfig.trim()}
    >
      <div className="row">
        <TextField id="cluster-name" label="Name" required placeholder="production" value={name} onChange={setName} />
        <TextField
          id="cluster-context"
          label="Context (optional)"
          placeholder="the kubeconfig's current context"
          value={context}
          onChange={setContext}
        />
      </div>
      <TextAreaField
        id="cluster-kubeconfig"
        label="Kubeconfig"
        style={{ marginTop: 12 }}
        rows={6}
        required
        placeholder={'apiVersion: v1\nkind: Config\nclusters: …'}
        value={kubeconfig}
        onChange={setKubeconfig}
      />
    </SettingsForm>
  );
}

/** Settings → Clusters: Kubernetes clusters apps deploy to (the form only for who may `clusters, create`). */
export function ClustersPanel({ initial }: { initial: TCluster[] }) {
  const { data: clusters = initial } = useClusters(initial);
  const remove = useRemoveCluster();
  const canI = useCanI([{ resource: 'clusters', action: 'create', object: '*' }]);
  return (
    <SettingsList
      form={canI.can('clusters', 'create', '*') ? <AddClusterForm /> : null}
      label="Clusters"
      items={clusters}
      columns={['Name', wide('Server'), 'Version', wide('Added')]}
      cells={(c) => (
        <>
          <td style={{ fontWeight: 600 }}>{c.name}</td>
          <td className="hide-sm cell-wrap mono">{c.server ?? '—'}</td>
          <td className="mono">{c.serverVersion ?? '—'}</td>
          <td className="hide-sm">{new Date(c.createdAt).toLocaleDateString()}</td>
        </>
      )}
      remove={remove}
      removal={(c) => ({
        key: c.id,
        arg: c.name,
        label: `Remove ${c.name}`,
        question: `Remove cluster ${c.name}? Apps deploying to it stop syncing.`,
      })}
      empty={{
        icon: 'cluster',
        title: 'No clusters yet',
        example: 'keelson cluster add production --kubeconfig ~/.kube/config --context prod',
        text: 'Register a cluster with a kubeconfig; applications name it as their destination.',
      }}
    />
  );
}
