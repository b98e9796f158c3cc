/** Text output of `keelson app …`, in argocd's layout. Pure: data in, text out. */
import {
  activeAutomation,
  type TAppDiff,
  type TApplication,
  type TApplicationSummary,
  type THistoryEntry,
  type TResourceResult,
} from '../../lib/schemas/applications';
import { formatTable } from '../output';

const short = (sha?: string) => (sha ? sha.slice(0, 7) : '');

function policyOf(automated: { prune: boolean; selfHeal: boolean } | undefined): string {
  if (!automated) return 'Manual';
  const extras = [automated.prune ? 'Prune' : '', automated.selfHeal ? 'SelfHeal' : ''].filter(Boolean);
  return extras.length ? `Auto (${extras.join(', ')})` : 'Auto';
}

export function formatAppList(items: TApplicationSummary[], wide: boolean): string {
  const headers = [
    'NAME',
    'CLUSTER',
    'NAMESPACE',
    'PROJECT',
    'STATUS',
    'HEALTH',
    'SYNCPOLICY',
    'CONDITIONS',
    ...(wide ? ['REPO', 'PATH', 'TARGET', 'REVISION'] : []),
  ];
  const rows = items.map((a) => [
    a.name,
    a.cluster,
    a.namespace,
    a.project,
    a.sync,
    a.health,
    `${a.automated ? 'Auto' : 'Manual'}${a.pinned ? ' (pinned)' : ''}`,
    a.conditions ? String(a.conditions) : '<none>',
    ...(wide ? [a.repoURL, a.path, a.targetRevision, short(a.revision)] : []),
  ]);
  return formatTable(headers, rows);
}

export function formatApp(app: TApplication, server: string): string {
  const { spec, status } = app;
  const field = (label: string, value: string) => `${`${label}:`.padEnd(20)}${value}`;
  const lines = [
    field('Name', app.metadata.name),
    field('Project', spec.project),
    field('Server', spec.destination.name ?? spec.destination.server ?? ''),
    field('Namespace', spec.destination.namespace),
    field('URL', `${server}/applications/${app.metadata.name}`),
    field('Repo', spec.source.repoURL),
    field('Target', spec.source.targetRevision),
    field('Path', spec.source.path),
    field('Sync Policy', policyOf(activeAutomation(spec.syncPolicy))),
    field(
      'Sync Status',
      `${status.sync.status}${status.sync.revision ? ` to ${spec.source.targetRevision} (${short(status.sync.revision)})` : ''}`,
    ),
    field('Health Status', `${status.health.status}${status.health.message ? ` (${status.health.message})` : ''}`),
  ];
  if (status.pinned)
    lines.push(
      field(
        'Pinned',
        `${short(status.pinned.revision)} by ${status.pinned.by}: ${status.pinned.reason} (unpin: keelson app unpin ${app.metadata.name})`,
      ),
    );
  if (status.deletion)
    lines.push(field('Deleting', `requested by ${status.deletion.requestedBy} at ${status.deletion.requestedAt}`));
  const op = status.operationState;
  if (op)
    lines.push(
      '',
      field('Operation', op.operation.rollbackTo !== undefined ? `Rollback to ${op.operation.rollbackTo}` : 'Sync'),
      field('Sync Revision', op.syncResult?.revision ?? op.operation.sync.revision),
      field('Phase', op.phase),
      field('Message', op.message),
    );
  if (status.conditions.length)
    lines.push(
      '',
      'CONDITION'.padEnd(20) + 'MESSAGE',
      ...status.conditions.map((c) => `${c.type.padEnd(20)}${c.message}`),
    );
  lines.push(
    '',
    formatTable(
      ['GROUP', 'KIND', 'NAMESPACE', 'NAME', 'STATUS', 'HEALTH', 'HOOK', 'MESSAGE'],
      status.resources.map((r) => [
        r.group,
        r.kind,
        r.namespace,
        r.name,
        r.requiresPrune ? `${r.status} (prune)` : r.status,
        r.health?.status ?? '',
        r.hook ? 'yes' : '',
        r.health?.message ?? '',
      ]),
    ),
  );
  return lines.join('\n');
}

/** argocd app diff: a header per differing resource, then its unified diff. */
export function formatDiff(diff: TAppDiff): string {
  return diff.items
    .filter((i) => i.status === 'OutOfSync')
    .map(
      (i) =>
        `===== ${i.group}/${i.kind} ${i.namespace}/${i.name} ======${i.requiresPrune ? ' (requires pruning)' : ''}\n${i.diff.trimEnd()}`,
    )
    .join('\n\n');
}

export function formatHistory(items: THistoryEntry[]): string {
  return formatTable(
    ['ID', 'DATE', 'REVISION', 'INITIATED BY', 'MESSAGE'],
    items.map((h) => [
      String(h.id),
      h.deployedAt,
      short(h.revision),
      h.initiatedBy.automated ? 'automated' : (h.initiatedBy.username ?? ''),
      (h.commit?.message ?? '').split('\n')[0],
    ]),
  );
}

/** One line per resource result while a sync runs: phase, object, outcome, message. */
export function formatResult(r: TResourceResult): string {
  const object = `${r.group ? `${r.group}/` : ''}${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
  const outcome = r.hookPhase ? `${r.status} (hook ${r.hookPhase})` : r.status;
  return `${r.syncPhase.padEnd(9)}${object.padEnd(44)} ${outcome.padEnd(14)} ${r.message}`.trimEnd();
}
