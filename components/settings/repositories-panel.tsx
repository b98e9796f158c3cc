'use client';
import { useState } from 'react';
import { useCanI } from '@/lib/client/can-i';
import { useAddRepository, useRemoveRepository, useRepositories } from '@/lib/client/gitops-settings';
import type { TRepository } from '@/lib/schemas/gitops';
import { wide } from '../ui/data-table';
import { TextAreaField, TextField } from '../ui/field';
import { SettingsForm, SettingsList } from './settings-panel';

type Auth = 'none' | 'https' | 'ssh';

function AddRepositoryForm() {
  const add = useAddRepository();
  const [url, setUrl] = useState('');
  const [auth, setAuth] = useState<Auth>('none');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [key, setKey] = useState('');
  const submit = () =>
    add.mutate(
      {
        url: url.trim(),
        ...(auth === 'https' ? { username: username.trim() || undefined, password: password || undefined } : {}),
        ...(auth === 'ssh' ? { sshPrivateKey: key } : {}),
      },
      {
        onSuccess: () => {
          setUrl('');
          setPassword('');
          setKey('');
        },
      },
    );
  return (
    <SettingsForm
      label="Add repository"
      title="Add a repository"
      error={add.error}
      onSubmit={submit}
      hint="Keelson checks that the revision HEAD resolves before saving. Credentials are encrypted and never shown again."
      submitLabel="Add repository"
      pendingLabel="Checking…"
      pending={add.isPending}
      disabled={!url.trim()}
    >
      <div className="row">
        <TextField
          id="repo-url"
          label="URL"
          style={{ flex: 3 }}
          required
          placeholder="https://github.com/acme/deploy.git or git@github.com:acme/deploy.git"
          value={url}
          onChange={setUrl}
        />
        <div className="field" style={{ flex: 1, minWidth: 150 }}>
          <label htmlFor="repo-auth">Credentials</label>
          <select id="repo-auth" className="input" value={auth} onChange={(e) => setAuth(e.target.value as Auth)}>
            <option value="none">None (public)</option>
            <option value="https">HTTPS username + token</option>
            <option value="ssh">SSH private key</option>
          </select>
        </div>
      </div>
      {auth === 'https' ? (
        <div className="row" style={{ marginTop: 12 }}>
          <TextField id="repo-username" label="Username" autoComplete="off" value={username} onChange={setUsername} />
          <TextField
            id="repo-password"
            label="Token or password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
          />
        </div>
      ) : null}
      {auth === 'ssh' ? (
        <TextAreaField
          id="repo-key"
          label="SSH private key"
          style={{ marginTop: 12 }}
          rows={5}
          placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
          value={key}
          onChange={setKey}
        />
      ) : null}
    </SettingsForm>
  );
}

/**
 * Settings → Repositories: Git repositories apps may follow, with optional credentials (the form only for who
 * may `repositories, create`).
 */
export function RepositoriesPanel({ initial }: { initial: TRepository[] }) {
  const { data: repos = initial } = useRepositories(initial);
  const remove = useRemoveRepository();
  const canI = useCanI([{ resource: 'repositories', action: 'create', object: '*' }]);
  return (
    <SettingsList
      form={canI.can('repositories', 'create', '*') ? <AddRepositoryForm /> : null}
      label="Repositories"
      items={repos}
      columns={['URL', 'Credentials', wide('Added')]}
      cells={(r) => (
        <>
          <td className="cell-wrap mono">{r.url}</td>
          <td>{r.hasCredentials ? 'stored' : <span className="muted">none</span>}</td>
          <td className="hide-sm">{new Date(r.createdAt).toLocaleDateString()}</td>
        </>
      )}
      remove={remove}
      removal={(r) => ({
        key: r.id,
        arg: r.url,
        label: `Remove ${r.url}`,
        question: `Remove ${r.url}? Apps that follow it can no longer fetch it if it is private.`,
      })}
      empty={{
        icon: 'git',
        title: 'No repositories yet',
        example: 'keelson repo add https://github.com/acme/deploy.git --username bot --password $TOKEN',
        text: 'Public repositories work without registering; register private ones here with a token or SSH key.',
      }}
    />
  );
}
