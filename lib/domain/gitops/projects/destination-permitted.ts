/**
 * AppProject.IsDestinationPermitted (isDestinationMatched): an entry matches when its `server` (or its `name`)
 * glob matches the destination's and its `namespace` glob matches the namespace. Entries may be `!` negated: a
 * negated field that the destination fails to satisfy refuses it, whatever the other entries say.
 */
import type { ProjectDecision } from './decision';
import type { TProjectDestination } from './app-project-schema';
import { globMatchNegatable, isDenyPattern } from './glob';

export interface Destination {
  server?: string;
  name?: string;
  namespace?: string;
}

function describe(item: TProjectDestination): string {
  const parts = [
    item.server !== undefined ? `server '${item.server}'` : '',
    item.name !== undefined ? `name '${item.name}'` : '',
    `namespace '${item.namespace ?? ''}'`,
  ];
  return `destinations: ${parts.filter(Boolean).join(', ')}`;
}

export function isDestinationPermitted(
  destinations: readonly TProjectDestination[] | undefined,
  dst: Destination,
): ProjectDecision {
  let allowedBy: TProjectDestination | undefined;
  for (const item of destinations ?? []) {
    const itemServer = item.server ?? '';
    const itemName = item.name ?? '';
    const itemNamespace = item.namespace ?? '';
    const nameMatched = Boolean(dst.name) && globMatchNegatable(itemName, dst.name ?? '');
    const serverMatched = Boolean(dst.server) && globMatchNegatable(itemServer, dst.server ?? '');
    const namespaceMatched = globMatchNegatable(itemNamespace, dst.namespace ?? '');
    if ((serverMatched || nameMatched) && namespaceMatched) {
      allowedBy ??= item;
    } else if (
      (!nameMatched && isDenyPattern(itemName)) ||
      (!serverMatched && isDenyPattern(itemServer)) ||
      (!namespaceMatched && isDenyPattern(itemNamespace))
    ) {
      return { permitted: false, rule: describe(item) };
    }
  }
  if (allowedBy) return { permitted: true, rule: describe(allowedBy) };
  const target = `${dst.server || dst.name || ''}/${dst.namespace ?? ''}`;
  return { permitted: false, rule: `destinations: no entry permits '${target}'` };
}
