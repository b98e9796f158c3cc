'use client';
import { useState, type FormEvent } from 'react';
import { useCreateToken } from '@/lib/client/tokens';
import { ErrorAlert } from '../ui/error-alert';
import { TextField } from '../ui/field';

export function CreateTokenForm() {
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [copied, setCopied] = useState(false);

  function submit(e: FormEvent) {
    e.preventDefault();
    setCopied(false);
    create.mutate({ name, expiresInDays: days ? Number(days) : undefined }, { onSuccess: () => setName('') });
  }

  return (
    <section className="card" style={{ marginBottom: 18 }}>
      <h2>Create a token</h2>
      <form onSubmit={submit} className="row">
        <TextField
          id="token-name"
          label="Name"
          value={name}
          onChange={setName}
          placeholder="e.g. laptop CLI"
          required
        />
        <TextField
          id="token-days"
          label="Expires in (days)"
          style={{ maxWidth: 180 }}
          type="number"
          min={1}
          max={3650}
          value={days}
          onChange={setDays}
          placeholder="never"
        />
        <button className="btn btn-primary" type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create token'}
        </button>
      </form>
      <ErrorAlert error={create.error} plain quiet style={{ marginTop: 14 }} />
      {create.data ? (
        <div className="alert alert-ok" style={{ marginTop: 14, marginBottom: 0 }} role="status">
          <p style={{ margin: '0 0 8px' }}>
            Token <strong>{create.data.name}</strong> created. Copy it now: it is shown only once.
          </p>
          <div className="secret">
            <code data-testid="new-token" style={{ flex: 1 }}>
              {create.data.token}
            </code>
            <button
              type="button"
              className="btn"
              onClick={() => void navigator.clipboard?.writeText(create.data.token).then(() => setCopied(true))}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
