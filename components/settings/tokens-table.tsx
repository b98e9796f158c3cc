'use client';
import type { TApiToken } from '@/lib/schemas/tokens';
import { useRevokeToken, useTokens } from '@/lib/client/tokens';
import { DataTable, TableCard, wide } from '../ui/data-table';
import { EmptyState } from '../ui/empty-state';
import { ConfirmButton } from './settings-panel';

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
    <TableCard>
      <DataTable
        label="API tokens"
        columns={['Name', 'Token', wide('Created'), wide('Last used'), wide('Expires'), '']}
      >
        {tokens.map((t) => (
          <tr key={t.id}>
            <td>{t.name}</td>
            <td className="mono muted">{t.prefix}…</td>
            <td className="hide-sm">{when(t.createdAt)}</td>
            <td className="hide-sm">{when(t.lastUsedAt)}</td>
            <td className="hide-sm">{t.expiresAt ? when(t.expiresAt) : 'never'}</td>
            <td style={{ textAlign: 'right' }}>
              <ConfirmButton
                disabled={revoke.isPending}
                question={`Revoke token "${t.name}"? Anything using it stops working at once.`}
                onConfirm={() => revoke.mutate(t.id)}
              >
                Revoke
              </ConfirmButton>
            </td>
          </tr>
        ))}
      </DataTable>
    </TableCard>
  );
}
