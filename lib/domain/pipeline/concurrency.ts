import { z } from 'zod';
import { PIPELINE_RUN_INITIAL } from './pipeline-run-states';
import { PipelineRunReason } from './reasons';
import { substituteString, type Scope } from './substitute';
import { succeededCondition } from './succeeded-condition';
import { findReferences } from './variables';

/**
 * Concurrency groups (Keelson's; tektoncd/pipeline#2591, GitHub Actions' `concurrency:`), set by annotations
 * so the YAML stays valid for upstream Tekton, which ignores them. On a Pipeline (its runs' policy); a
 * PipelineRun's own annotations override each one, set only by a caller who may update the Pipeline
 * (authorize-concurrency-override.ts). A group's limit and strategy are its newest run's: each run's are the
 * Pipeline's as the run was created, or an override by someone who could have changed the Pipeline's anyway.
 */
export const ConcurrencyAnnotation = {
  limit: 'keelson.dev/concurrency',
  key: 'keelson.dev/concurrency-key',
  strategy: 'keelson.dev/concurrency-strategy',
} as const;

export const CONCURRENCY_STRATEGIES = ['queue', 'cancel-in-progress'] as const;
export type ConcurrencyStrategy = (typeof CONCURRENCY_STRATEGIES)[number];

/** The largest N accepted (a bigger group is no limit at all). */
export const MAX_CONCURRENCY = 1000;

/** Context variables a key may use besides `$(params.<name>)`. */
export const CONCURRENCY_KEY_CONTEXT = [
  'context.pipeline.name',
  'context.pipelineRun.name',
  'context.pipelineRun.namespace',
] as const;

export interface ConcurrencyIssue {
  path: string;
  message: string;
  hint: string;
}

export interface ConcurrencySettings {
  limit: number;
  /** The key template as written (default `$(context.pipeline.name)`). */
  key: string;
  strategy: ConcurrencyStrategy;
}

type Annotations = Readonly<Record<string, string>> | undefined;

const pathOf = (annotation: string) => `metadata.annotations["${annotation}"]`;
const DEFAULT_KEY = '$(context.pipeline.name)';

/**
 * The group settings of one document's annotations: undefined when `keelson.dev/concurrency` is absent (a key
 * or strategy alone is an issue: it would have no effect). `params` are the string params the key may name.
 */
export function concurrencyIssues(annotations: Annotations, params?: ReadonlySet<string>): ConcurrencyIssue[] {
  const issues: ConcurrencyIssue[] = [];
  const limit = annotations?.[ConcurrencyAnnotation.limit];
  const key = annotations?.[ConcurrencyAnnotation.key];
  const strategy = annotations?.[ConcurrencyAnnotation.strategy];
  if (limit !== undefined && !isLimit(limit))
    issues.push({
      path: pathOf(ConcurrencyAnnotation.limit),
      message: `"${limit}" is not a whole number from 1 to ${MAX_CONCURRENCY}`,
      hint: `Write how many runs of the group may run at once as a quoted number, e.g. "1".`,
    });
  if (strategy !== undefined && !(CONCURRENCY_STRATEGIES as readonly string[]).includes(strategy))
    issues.push({
      path: pathOf(ConcurrencyAnnotation.strategy),
      message: `"${strategy}" is not a concurrency strategy`,
      hint: 'Write "queue" (a run waits for a free slot) or "cancel-in-progress" (a new run cancels the older ones).',
    });
  if (key !== undefined) issues.push(...keyIssues(key, params));
  return issues;
}

function isLimit(text: string): boolean {
  return /^[1-9][0-9]*$/.test(text.trim()) && Number(text) <= MAX_CONCURRENCY;
}

function keyIssues(key: string, params: ReadonlySet<string> | undefined): ConcurrencyIssue[] {
  const path = pathOf(ConcurrencyAnnotation.key);
  if (key.trim() === '')
    return [{ path, message: 'the key is empty', hint: `Leave the annotation out for the default ${DEFAULT_KEY}.` }];
  return findReferences(key).flatMap((ref) => {
    const [head, name] = ref.segments;
    if (head === 'params' && ref.segments.length === 2 && ref.index === undefined) {
      if (!params || params.has(name)) return [];
      return [{ path, message: `${ref.text} names no string param of the pipeline`, hint: 'Declare the param.' }];
    }
    if ((CONCURRENCY_KEY_CONTEXT as readonly string[]).includes(ref.segments.join('.'))) return [];
    return [
      {
        path,
        message: `${ref.text} cannot be used in a concurrency key`,
        hint: `Use $(params.<string param>) or ${CONCURRENCY_KEY_CONTEXT.map((c) => `$(${c})`).join(', ')}.`,
      },
    ];
  });
}

/** The settings in force: the run's annotations over the pipeline's, each on its own; undefined when no limit is set. */
export function concurrencySettings(pipeline: Annotations, run: Annotations): ConcurrencySettings | undefined {
  const pick = (a: string) => run?.[a] ?? pipeline?.[a];
  const limit = pick(ConcurrencyAnnotation.limit);
  if (limit === undefined || !isLimit(limit)) return undefined;
  const strategy = pick(ConcurrencyAnnotation.strategy);
  return {
    limit: Number(limit),
    key: pick(ConcurrencyAnnotation.key) ?? DEFAULT_KEY,
    strategy: strategy === 'cancel-in-progress' ? 'cancel-in-progress' : 'queue',
  };
}

export interface ConcurrencyGroup {
  /** Stored and locked: `<project>/<pipeline>/<key>`. */
  id: string;
  /** Shown: `<pipeline>/<key>`, or `<pipeline>` when the key is the pipeline's name. */
  label: string;
}

/**
 * The run's group: the key with the run's string params (defaults applied) and context substituted. A reference
 * left unresolved is an issue (a key that did not resolve would put unrelated runs in one group).
 */
export function concurrencyGroup(
  settings: ConcurrencySettings,
  run: { project: string; pipeline: string; name: string; params: Readonly<Record<string, unknown>> },
): { ok: true; group: ConcurrencyGroup } | { ok: false; issue: ConcurrencyIssue } {
  const scope: Record<string, string> = {
    'context.pipeline.name': run.pipeline,
    'context.pipelineRun.name': run.name,
    'context.pipelineRun.namespace': run.project,
  };
  for (const [name, value] of Object.entries(run.params))
    if (typeof value === 'string') scope[`params.${name}`] = value;
  const key = substituteString(settings.key, scope as Scope);
  const left = findReferences(key);
  if (left.length > 0)
    return {
      ok: false,
      issue: {
        path: pathOf(ConcurrencyAnnotation.key),
        message: `${left[0].text} has no string value in this run`,
        hint: 'Give the param a string value (or a default) or change the key.',
      },
    };
  const id = `${run.project}/${run.pipeline}/${key}`;
  return { ok: true, group: { id, label: groupLabel(id) } };
}

/** An unfinished run of a group, as admission sees it. */
export interface GroupRun {
  id: string;
  name: string;
  createdAt: Date;
  /** Its place in the group's queue (given under the group's lock as it joins); runs are ordered by it first. */
  joined?: number;
  /** Holds a slot: it has started (a queued run has not). */
  admitted: boolean;
  /** Its spec.status asks for a cancel or stop: it ends at its next reconcile and is never admitted. */
  cancelRequested: boolean;
}

export interface Admission {
  /** Queued runs that start now. */
  admit: string[];
  /** Runs to cancel (cancel-in-progress), with their message and the name of the newest run, which replaced them. */
  cancel: { id: string; message: string; replacedBy: string }[];
  /** Runs that keep waiting, with the condition message that says why. */
  wait: { id: string; message: string }[];
}

/**
 * Oldest first: by the order the runs joined the group under its lock, then creation time and name. Creation times
 * are taken before the lock, so of two runs created at nearly the same moment the later one may join first.
 */
const byAge = (
  a: Pick<GroupRun, 'name' | 'createdAt' | 'joined'>,
  b: Pick<GroupRun, 'name' | 'createdAt' | 'joined'>,
) => (a.joined ?? 0) - (b.joined ?? 0) || a.createdAt.getTime() - b.createdAt.getTime() || a.name.localeCompare(b.name);

/** The newest run of a group (whose limit and strategy are in force). */
export function newestRun<T extends Pick<GroupRun, 'name' | 'createdAt' | 'joined'>>(runs: readonly T[]): T {
  return [...runs].sort(byAge)[runs.length - 1];
}

function names(list: readonly string[]): string {
  return list.length <= 3 ? list.join(', ') : `${list.slice(0, 3).join(', ')} and ${list.length - 3} more`;
}

/** The shown label of a stored group id (`<project>/<pipeline>/<key>`). */
export function groupLabel(id: string): string {
  const [, pipeline = '', ...rest] = id.split('/');
  const key = rest.join('/');
  return key === pipeline ? pipeline : `${pipeline}/${key}`;
}

/** The condition message of a queued run: "Waiting for x (group build/main, 1 at a time); behind y in the queue". */
export function queuedMessage(holders: readonly string[], ahead: readonly string[], label: string, limit: number) {
  const waitingFor = holders.length > 0 ? names(holders) : 'a free slot';
  const queue = ahead.length > 0 ? `; behind ${names(ahead)} in the queue` : '';
  return `Waiting for ${waitingFor} (group ${label}, ${limit} at a time)${queue}`;
}

export function supersededMessage(run: string, newer: string, label: string): string {
  return `PipelineRun "${run}" was cancelled: the newer run "${newer}" of group ${label} replaced it (cancel-in-progress)`;
}

/**
 * What a group does now, given its unfinished runs and the settings of its newest run. Queue: the oldest
 * queued runs take the free slots, the rest wait. Cancel-in-progress: the newest `limit` runs run, every
 * older one is cancelled. Pure; the caller holds the group's lock while it applies the answer.
 */
export function decideAdmission(
  settings: Pick<ConcurrencySettings, 'limit' | 'strategy'>,
  label: string,
  runs: readonly GroupRun[],
): Admission {
  const sorted = [...runs].sort(byAge);
  if (settings.strategy === 'cancel-in-progress') {
    const live = sorted.filter((r) => !r.cancelRequested);
    const keep = live.slice(-settings.limit);
    const newest = keep[keep.length - 1];
    return {
      admit: keep.filter((r) => !r.admitted).map((r) => r.id),
      cancel: live
        .slice(0, Math.max(0, live.length - settings.limit))
        .map((r) => ({ id: r.id, message: supersededMessage(r.name, newest.name, label), replacedBy: newest.name })),
      wait: [],
    };
  }
  const holding = sorted.filter((r) => r.admitted);
  const queued = sorted.filter((r) => !r.admitted && !r.cancelRequested);
  const admitted = queued.slice(0, Math.max(0, settings.limit - holding.length));
  const holders = [...holding, ...admitted].map((r) => r.name);
  const waiting = queued.slice(admitted.length);
  return {
    admit: admitted.map((r) => r.id),
    cancel: [],
    wait: waiting.map((r, i) => ({
      id: r.id,
      message: queuedMessage(
        holders,
        waiting.slice(0, i).map((w) => w.name),
        label,
        settings.limit,
      ),
    })),
  };
}

/** The status of a run waiting in its group: Succeeded=Unknown, reason Queued, no startTime (as Tekton's pending runs). */
export function queuedStatus(message: string, now: Date) {
  return {
    conditions: [succeededCondition('Unknown', PipelineRunReason.Queued, message, now)],
    childReferences: [],
    skippedTasks: [],
  };
}

/** The status of a queued run admitted now: it starts as a new run does, its timeouts counting from now. */
export function admittedStatus(now: Date) {
  return {
    conditions: [succeededCondition(PIPELINE_RUN_INITIAL.status, PIPELINE_RUN_INITIAL.reason, '', now)],
    startTime: now.toISOString(),
    childReferences: [],
    skippedTasks: [],
  };
}

/** The settings in words, as the Pipeline page shows them: "1 run at a time per $(params.branch); the others queue". */
export function describeConcurrency(settings: ConcurrencySettings): string {
  const per = settings.key === DEFAULT_KEY ? '' : ` per ${settings.key}`;
  const runs = settings.limit === 1 ? '1 run' : `${settings.limit} runs`;
  const rest = settings.strategy === 'queue' ? 'the others queue' : 'a newer run cancels the older ones';
  return `${runs} at a time${per}; ${rest}`;
}

const ZAnnotated = z.looseObject({
  metadata: z.looseObject({ annotations: z.record(z.string(), z.string()).optional() }).optional(),
});

/** The settings a stored document (a Pipeline as the API returns it) declares; undefined when none. */
export function concurrencyOfDocument(document: unknown): ConcurrencySettings | undefined {
  const parsed = ZAnnotated.safeParse(document);
  return parsed.success ? concurrencySettings(parsed.data.metadata?.annotations, undefined) : undefined;
}
