/**
 * AppProject.IsGroupKindPermitted: which resource kinds a project may deploy. Namespaced kinds: every kind when
 * `namespaceResourceWhitelist` is absent, none when it is an empty list, else those it lists; then minus
 * `namespaceResourceBlacklist`. Cluster-scoped kinds: only those `clusterResourceWhitelist` lists (absent or
 * empty permits none), minus `clusterResourceBlacklist`. Group and kind are globs (isResourceInList).
 */
import type { ProjectDecision } from './decision';
import type { TAppProjectSpec, TGroupKind } from './app-project-schema';
import { globMatch } from './glob';

export interface GroupKindName {
  group: string;
  kind: string;
  name?: string;
}

function findInList(res: GroupKindName, list: readonly TGroupKind[] | undefined): TGroupKind | undefined {
  return list?.find(
    (item) =>
      globMatch(item.kind, res.kind) &&
      globMatch(item.group, res.group) &&
      (item.name === undefined || item.name === '' || res.name === undefined || globMatch(item.name, res.name)),
  );
}

const show = (list: string, item: TGroupKind) =>
  `${list}: group '${item.group}', kind '${item.kind}'${item.name ? `, name '${item.name}'` : ''}`;

export function isGroupKindPermitted(
  spec: Pick<
    TAppProjectSpec,
    | 'clusterResourceWhitelist'
    | 'clusterResourceBlacklist'
    | 'namespaceResourceWhitelist'
    | 'namespaceResourceBlacklist'
  >,
  res: GroupKindName,
  namespaced: boolean,
): ProjectDecision {
  const [whiteName, blackName] = namespaced
    ? ['namespaceResourceWhitelist', 'namespaceResourceBlacklist']
    : ['clusterResourceWhitelist', 'clusterResourceBlacklist'];
  const white = namespaced ? spec.namespaceResourceWhitelist : spec.clusterResourceWhitelist;
  const black = namespaced ? spec.namespaceResourceBlacklist : spec.clusterResourceBlacklist;
  const gk = `${res.group || 'core'}/${res.kind}`;
  const whiteHit = findInList(res, white);
  if (!(namespaced && white === undefined) && !whiteHit) {
    return { permitted: false, rule: `${whiteName}: ${gk} is not listed` };
  }
  const blackHit = findInList(res, black);
  if (blackHit) return { permitted: false, rule: show(blackName, blackHit) };
  return {
    permitted: true,
    rule: whiteHit ? show(whiteName, whiteHit) : `${whiteName}: absent (every namespaced kind)`,
  };
}
