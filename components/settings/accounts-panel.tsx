'use client';
import { useAccounts, useDeleteAccount } from '@/lib/client/accounts';
import { notAllowedTitle, useCanI } from '@/lib/client/can-i';
import type { TAccount, TAccountList } from '@/lib/schemas/accounts';
import { Ago } from '../ui/ago';
import { DataTable, Dash, TableCard, wide } from '../ui/data-table';
import { EmptyState } from '../ui/empty-state';
import { ErrorAlert } from '../ui/error-alert';
import { CreateAccountDialog, PasswordDialog } from './accounts-dialogs';
import { DeleteRowButton } from './settings-panel';
import './gitops-settings.css';
import './accounts.css';

/** The account the server never deletes (lib/server/auth/delete-account.ts). */
const BUILTIN_ADMIN = 'admin';

function Names({ names }: { names: string[] }) {
  return names.length === 0 ? <Dash /> : <span className="mono">{names.join(', ')}</span>;
}

/** Why Delete is off for this row, or undefined when it is on. */
function deleteRefusal(a: TAccount, me: string, allowed: boolean): string | undefined {
  if (a.name === BUILTIN_ADMIN) return 'The built-in admin account cannot be deleted.';
  if (a.name === me) return 'You cannot delete your own account.';
  return allowed ? undefined : notAllowedTitle('delete', 'account');
}

/** Settings → Accounts: local and SSO accounts, their roles from g lines, create / password / delete. */
export function AccountsPanel({ initial, me }: { initial: TAccountList; me: string }) {
  const { data } = useAccounts(initial);
  const remove = useDeleteAccount();
  const update = (name: string) => ({ resource: 'accounts', action: 'update', object: name });
  const can = useCanI([update('*'), ...data.items.map((a) => update(a.name))]);
  return (
    <div className="settings-stack">
      <div className="accounts-head">
        <p className="muted">
          Roles come from <span className="mono">g</span> lines of the RBAC policy (built-in and Settings → Access).
          {data.defaultRole ? (
            <>
              {' '}
              Everyone also has <span className="mono">{data.defaultRole}</span> (policy.default).
            </>
          ) : null}
        </p>
        <CreateAccountDialog allowed={can.can('accounts', 'update', '*')} />
      </div>
      <ErrorAlert error={remove.error} />
      {data.items.length === 0 ? (
        <EmptyState icon="key" title="No accounts you may see" example="keelson account can-i get accounts '*'">
          Your role does not let you list accounts.
        </EmptyState>
      ) : (
        <TableCard>
          <DataTable
            label="Accounts"
            columns={['Name', wide('Source'), wide('Groups'), 'Roles', wide('Tokens'), wide('Last login'), '']}
          >
            {data.items.map((a) => {
              const allowed = can.can('accounts', 'update', a.name);
              const refusal = deleteRefusal(a, me, allowed);
              return (
                <tr key={a.name}>
                  <td>
                    <span style={{ fontWeight: 600 }}>{a.name}</span>
                    {a.name === me ? <span className="muted"> (you)</span> : null}
                    {a.disabled ? <span className="muted"> · disabled</span> : null}
                    {a.displayName && a.displayName !== a.name ? (
                      <div className="muted cell-wrap">{a.displayName}</div>
                    ) : null}
                  </td>
                  <td className="hide-sm">{a.source === 'local' ? 'local' : `SSO (${a.source})`}</td>
                  <td className="hide-sm cell-wrap">
                    <Names names={a.groups} />
                  </td>
                  <td className="cell-wrap">
                    <Names names={a.roles} />
                  </td>
                  <td className="hide-sm">{a.tokenCount}</td>
                  <td className="hide-sm">{a.lastLoginAt ? <Ago at={a.lastLoginAt} /> : 'never'}</td>
                  <td>
                    <div className="row-actions">
                      {a.source === 'local' ? (
                        <PasswordDialog name={a.name} self={a.name === me} allowed={a.name === me || allowed} />
                      ) : null}
                      <DeleteRowButton
                        name={a.name}
                        refusal={refusal}
                        pending={remove.isPending}
                        question={`Delete account ${a.name}? Its sessions end and its API tokens stop working.`}
                        onDelete={() => remove.mutate(a.name)}
                      />
                    </div>
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </TableCard>
      )}
    </div>
  );
}
