import type { NextRequest } from 'next/server';
import { BODY_LIMITS } from '@/lib/domain/http/body-limits';
import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { runControlDeps, secrets } from '@/lib/server/context';
import { receiveTriggerDelivery } from '@/lib/server/webhooks/receive-trigger-delivery';
import { errorResponse } from '../../../_lib/error-response';
import { withContract } from '../../../_lib/with-contract';
import { readTextBody } from '../../../_lib/read-text-body';

/** Git provider webhooks for a trigger: authenticated by signature, not by a Keelson token. */
export const POST = withContract(
  pipelineContracts['/api/webhooks/triggers/{name}'].post,
  async (req: NextRequest, ctx: { params: Promise<{ name: string }> }) => {
    try {
      const { name } = await ctx.params;
      const raw = await readTextBody(req, BODY_LIMITS.webhooks);
      const headers = Object.fromEntries([...req.headers].map(([k, v]) => [k.toLowerCase(), v]));
      const result = await receiveTriggerDelivery(runControlDeps(), secrets(), name, headers, raw);
      return Response.json(
        { outcome: result.outcome, reason: result.reason, run: result.run?.name },
        { status: result.httpStatus },
      );
    } catch (err) {
      return errorResponse(err);
    }
  },
);
