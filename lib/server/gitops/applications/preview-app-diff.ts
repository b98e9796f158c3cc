import { formatResourceKey } from '@/lib/domain/gitops';
import type { TAppDiff } from '@/lib/schemas/applications';
import type { Principal } from '../../principal';
import type { GitopsDeps } from '../ports';
import type { SecretBox } from '../../security/secret-box';
import { previewRevisionDiff, type PreviewRuntime } from '../preview-revision';
import { appLiveScope } from '../live-scope';
import { loadAppFor } from './app-access';

/**
 * What a sync to another revision would change (the rollback dialog's preview), computed now
 * against the live cluster rather than read from the last comparison.
 */
export async function previewAppDiff(
  deps: Pick<GitopsDeps, 'gitops' | 'access'>,
  box: SecretBox,
  web: PreviewRuntime,
  principal: Principal,
  name: string,
  revision: string,
): Promise<TAppDiff> {
  const app = await loadAppFor(deps, principal, name, 'get');
  const preview = await previewRevisionDiff(deps, box, web, app, revision, await appLiveScope(deps, app));
  const items = preview.resources.filter((r) => !r.hook).map((r) => ({ ...r, key: formatResourceKey(r) }));
  return { name, revision: preview.revision, hasDiff: preview.sync === 'OutOfSync', items };
}
