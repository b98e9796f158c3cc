import type { NextRequest } from 'next/server';
import { BODY_LIMITS } from '@/lib/domain/http/body-limits';
import { gitopsContracts } from '@/lib/schemas/contracts/gitops';
import { deps, secrets } from '@/lib/server/context';
import { handleGitPush } from '@/lib/server/webhooks/handle-git-push';
import { errorResponse } from '../../_lib/error-response';
import { withContract } from '../../_lib/with-contract';
import { readTextBody } from '../../_lib/read-text-body';

/** Git push webhooks (GitHub, GitLab, Bitbucket): authenticated by the provider's signature, not a Keelson token. */
export const POST = withContract(gitopsContracts['/api/webhooks/git'].post, async (req: NextRequest) => {
  try {
    const raw = await readTextBody(req, BODY_LIMITS.webhooks);
    const headers = Object.fromEntries([...req.headers].map(([k, v]) => [k.toLowerCase(), v]));
    const { status, result } = await handleGitPush(deps(), secrets(), headers, raw);
    return Response.json(result, { status });
  } catch (err) {
    return errorResponse(err);
  }
});
