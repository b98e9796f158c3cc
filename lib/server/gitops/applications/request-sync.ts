import type { TOperationState, TResourceStatus, TSyncRequest, TSyncResource } from '@/lib/schemas/applications';
import { AppError } from '@/lib/errors';
import type { GitopsDeps } from '../ports';
import type { Principal } from '../../principal';
import { queueOperation } from './queue-operation';
import { auditEntry } from '../audit-entry';

const label = (r: { group: string; kind: string; name: string; namespace?: string }) =>
  `${r.group ? `${r.group}/` : ''}${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/** A selected resource matches when group, kind and name agree (namespace too, when given). */
function matches(sel: TSyncResource, r: TResourceStatus): boolean {
  return (
    sel.group === r.group &&
    sel.kind === r.kind &&
    sel.name === r.name &&
    (sel.namespace === undefined || sel.namespace === r.namespace)
  );
}

function checkSelection(selected: TSyncResource[] | undefined, known: TResourceStatus[], appName: string): void {
  if (!selected) return;
  const unknown = selected.flatMap((sel, i) => (known.some((r) => matches(sel, r)) ? [] : [{ i, sel }]));
  if (unknown.length === 0) return;
  const issues = unknown.map(({ i, sel }) => ({
    path: `resources[${i}]`,
    message: `${label(sel)} is not a resource of ${appName}`,
  }));
  const listed = known
    .filter((r) => !r.hook)
    .slice(0, 20)
    .map(label)
    .join(', ');
  throw new AppError(
    'BAD_REQUEST',
    `Not part of the application: ${unknown.map(({ sel }) => label(sel)).join(', ')}.`,
    {
      issues,
      hint: known.length
        ? `Pick among: ${listed}${known.length > 20 ? ', …' : ''}. Give the group for non-core kinds (apps:Deployment:web).`
        : 'The app has no known resources yet: refresh it first (`keelson app get NAME --refresh`).',
    },
  );
}

/**
 * Queues a sync. Revision: the one asked for, else the pinned one (a pinned app keeps its
 * rollback), else targetRevision. 409 while another operation runs.
 */
export async function requestSync(
  deps: GitopsDeps,
  principal: Principal,
  name: string,
  req: TSyncRequest,
): Promise<TOperationState> {
  return queueOperation(
    deps,
    principal,
    name,
    async (_tx, app) => {
      checkSelection(req.resources, app.resources, name);
      return {
        sync: {
          revision: req.revision || app.pinned?.revision || app.spec.source.targetRevision,
          prune: req.prune,
          dryRun: req.dryRun,
          ...(req.resources ? { resources: req.resources } : {}),
          syncOptions: req.syncOptions,
        },
        initiatedBy: { username: principal.username },
      };
    },
    (op) =>
      auditEntry(principal, 'application.sync', `application/${name}`, {
        operation: op.id,
        revision: op.operation.sync.revision,
      }),
  );
}
