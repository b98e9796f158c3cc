import { ZCanIBatch, ZCanICheck } from '@/lib/schemas/access';
import { canIDo, canIDoAll } from '@/lib/server/access/can-i';
import { deps } from '@/lib/server/context';
import { parseOrThrow } from '@/lib/server/gitops/applications/parse-input';
import { route } from '../../../_lib/handler';

/** `?resource=applications&action=sync&object=default/*` → {allowed, answer: yes|no}. */
export const GET = route({}, async ({ req, principal }) =>
  canIDo(
    deps(),
    principal,
    parseOrThrow(
      ZCanICheck,
      Object.fromEntries(req.nextUrl.searchParams),
      'Give resource and action (e.g. ?resource=applications&action=sync&object=default/guestbook).',
      'query',
    ),
  ),
);

/** {checks: [{resource, action, object}]} → {results: [true, false, …]} in the same order. */
export const POST = route({ body: ZCanIBatch }, async ({ body, principal }) => ({
  results: await canIDoAll(deps(), principal, body.checks),
}));
