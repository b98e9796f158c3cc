import { accountContracts } from '@/lib/schemas/contracts/accounts';
import { listAuditEntries } from '@/lib/server/audit/list-audit-entries';
import { deps } from '@/lib/server/context';
import { route } from '../../_lib/handler';

/** The audit log, newest first, paged on the server; role:admin (`audit get *`). */
export const GET = route({ contract: accountContracts['/api/v1/audit'].get }, async ({ query, principal }) =>
  listAuditEntries(deps(), principal, query),
);
