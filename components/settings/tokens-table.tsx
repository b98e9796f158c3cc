'use client';
import type { TApiToken } from '@/lib/schemas/tokens';
import { useRevokeToken, useTokens } from '@/lib/client/tokens';
import { EmptyState } from '../ui/empty-state';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

export function TokensTable({ initial }: { initial: TApiToken[] }) {
  const { data: tokens } = useTokens(initial);
  const revoke = useRevokeToken();
  if (tokens.length === 0) {
    return (
      <EmptyState icon="key" title="No API tokens" example={'keelson login --server URL --token kls_…'}>
        API tokens let the keelson CLI, scripts and CI call the REST API as you. Create one above; it is shown once and
        stored hashed.
      </EmptyState>
    );
  }
  return (
    <section className="card" style={{ padding: 0, overflowX: 'auto' }}>
      <table className="table" aria-label="API tokens">
        <thead>
          <tr>
            <th>Name</th>
            <th>Token</th>
            <th className="hide-sm">Created</th>
            <th className="hide-sm">Last used</th>
            <th className="hide-sm">Expires</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td className="mono muted">{t.prefix}…</td>
              <td className="hide-sm">{when(t.createdAt)}</td>
              <td className="hide-sm">{when(t.lastUsedAt)}</td>
              <td className="hide-sm">{t.expiresAt ? when(t.expiresAt) : 'never'}</td>
              <td style={{ textAlign: 'right' }}>
                <button
                  type="button"
                  className="btn btn-danger"
                  disabled={revoke.isPending}
                  onClick={() =>
                    window.confirm(`Revoke token "${t.name}"? Anything using it stops working at once.`) &&
                    revoke.mutate(t.id)
                  }
                >
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
