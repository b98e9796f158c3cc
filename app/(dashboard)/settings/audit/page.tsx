import { AuditLog } from '@/components/settings/audit-log';
import { AppError } from '@/lib/errors';
import type { AuditFilter } from '@/lib/client/audit';
import { ZAuditQuery } from '@/lib/schemas/audit';
import { listAuditEntries } from '@/lib/server/audit/list-audit-entries';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { deps } from '@/lib/server/context';
import { SettingsShell } from '../_lib/settings-shell';

export const metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

const LIMIT = 50;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
const DESCRIPTION = 'Who changed what, from where and how: every change and login, newest first.';

export default async function AuditSettingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requirePrincipal();
  const q = await searchParams;
  const filter: AuditFilter = {
    user: one(q.user),
    resource: one(q.resource),
    action: one(q.action),
    result: one(q.result),
    since: one(q.since),
    limit: LIMIT,
    offset: Math.max(0, Number.parseInt(one(q.offset) ?? '0', 10) || 0),
  };
  // Read in-process; a filter the API would refuse leaves the first page to the client query (which shows why).
  const query = ZAuditQuery.safeParse(filter);
  let initial = null;
  try {
    initial = query.success ? await listAuditEntries(deps(), principal, query.data) : null;
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'FORBIDDEN')) throw err;
    return (
      <SettingsShell tab="/settings/audit" description={DESCRIPTION}>
        <section className="card" role="alert">
          You are not allowed to read the audit log: it needs <code>audit, get, *</code> (role:admin).
        </section>
      </SettingsShell>
    );
  }
  return (
    <SettingsShell tab="/settings/audit" description={DESCRIPTION}>
      <AuditLog initialFilter={filter} initial={initial} />
    </SettingsShell>
  );
}
