'use client';
import { useState } from 'react';
import { useAddRepository, useRemoveRepository, useRepositories } from '@/lib/client/gitops-settings';
import type { TRepository } from '@/lib/schemas/gitops';
import { ErrorAlert } from '../ui/error-alert';
import { EmptyState } from '../ui/empty-state';
import './gitops-settings.css';

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
    <form
      className="card settings-form"
      aria-label="Add repository"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2>Add a repository</h2>
      <ErrorAlert error={add.error} />
      <div className="row">
        <div className="field" style={{ flex: 3 }}>
          <label htmlFor="repo-url">URL</label>
          <input
            id="repo-url"
            className="input"
            required
            placeholder="https://github.com/acme/deploy.git or git@github.com:acme/deploy.git"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </div>
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
          <div className="field">
            <label htmlFor="repo-username">Username</label>
            <input
              id="repo-username"
              className="input"
              autoComplete="off"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="repo-password">Token or password</label>
            <input
              id="repo-password"
              className="input"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
        </div>
      ) : null}
      {auth === 'ssh' ? (
        <div className="field" style={{ marginTop: 12 }}>
          <label htmlFor="repo-key">SSH private key</label>
          <textarea
            id="repo-key"
            className="input mono"
            rows={5}
            spellCheck={false}
            placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
        </div>
      ) : null}
      <div className="settings-form-foot">
        <span className="field-hint">
          Keelson checks that the revision HEAD resolves before saving. Credentials are encrypted and never shown again.
        </span>
        <button type="submit" className="btn btn-primary" disabled={add.isPending || !url.trim()}>
          {add.isPending ? 'Checking…' : 'Add repository'}
        </button>
      </div>
    </form>
  );
}

/** Settings → Repositories: Git repositories apps may follow, with optional credentials. */
export function RepositoriesPanel({ initial }: { initial: TRepository[] }) {
  const { data: repos = initial } = useRepositories(initial);
  const remove = useRemoveRepository();
  return (
    <div className="settings-stack">
      <AddRepositoryForm />
      <ErrorAlert error={remove.error} />
      {repos.length === 0 ? (
        <EmptyState
          icon="git"
          title="No repositories yet"
          example={'keelson repo add https://github.com/acme/deploy.git --username bot --password $TOKEN'}
        >
          Public repositories work without registering; register private ones here with a token or SSH key.
        </EmptyState>
      ) : (
        <section className="card card-flush">
          <table className="table" aria-label="Repositories">
            <thead>
              <tr>
                <th>URL</th>
                <th>Credentials</th>
                <th className="hide-sm">Added</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {repos.map((r) => (
                <tr key={r.id}>
                  <td className="cell-wrap mono">{r.url}</td>
                  <td>{r.hasCredentials ? 'stored' : <span className="muted">none</span>}</td>
                  <td className="hide-sm">{new Date(r.createdAt).toLocaleDateString()}</td>
                  <td style={{ textAlign: 'right' }}>
                    <button
                      type="button"
                      className="btn btn-sm btn-danger"
                      aria-label={`Remove ${r.url}`}
                      disabled={remove.isPending}
                      onClick={() =>
                        window.confirm(
                          `Remove ${r.url}? Apps that follow it can no longer fetch it if it is private.`,
                        ) && remove.mutate(r.url)
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
