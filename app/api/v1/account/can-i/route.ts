import { accessContracts } from '@/lib/schemas/contracts/access';
import { canIDo, canIDoAll } from '@/lib/server/access/can-i';
import { deps } from '@/lib/server/context';
import { route } from '../../../_lib/handler';

const C = accessContracts['/api/v1/account/can-i'];

/** `?resource=applications&action=sync&object=default/*` → {allowed, answer: yes|no}. */
export const GET = route({ contract: C.get }, async ({ query, principal }) => canIDo(deps(), principal, query));

/** {checks: [{resource, action, object}]} → {results: [true, false, …]} in the same order. */
export const POST = route({ contract: C.post }, async ({ body, principal }) => ({
  results: await canIDoAll(deps(), principal, body.checks),
}));
