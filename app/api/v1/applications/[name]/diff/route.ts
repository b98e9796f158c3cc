import { deps, previewRuntime, secrets } from '@/lib/server/context';
import { getAppDiff } from '@/lib/server/gitops/applications/get-app-diff';
import { previewAppDiff } from '@/lib/server/gitops/applications/preview-app-diff';
import { route } from '../../../../_lib/handler';

/** The last comparison's diff; with ?revision= a fresh preview of a sync to that revision. */
export const GET = route({}, async ({ req, params, principal }) => {
  const revision = req.nextUrl.searchParams.get('revision');
  const name = String(params.name);
  return revision
    ? previewAppDiff(deps(), secrets(), previewRuntime(), principal, name, revision)
    : getAppDiff(deps(), principal, name);
});
