import { applicationContracts } from '@/lib/schemas/contracts/applications';
import { deps, previewRuntime, secrets } from '@/lib/server/context';
import { getAppDiff } from '@/lib/server/gitops/applications/get-app-diff';
import { previewAppDiff } from '@/lib/server/gitops/applications/preview-app-diff';
import { route } from '../../../../_lib/handler';

const C = applicationContracts['/api/v1/applications/{name}/diff'];

/** The last comparison's diff; with ?revision= a fresh preview of a sync to that revision. */
export const GET = route({ contract: C.get }, async ({ query, params, principal }) => {
  const revision = query.revision;
  const name = String(params.name);
  return revision
    ? previewAppDiff(deps(), secrets(), previewRuntime(), principal, name, revision)
    : getAppDiff(deps(), principal, name);
});
