/** The end of a TaskRun's pod: deleted (now, or after the keep time) with its run Secret. */
import type { KubeConnection } from '../../k8s/connection';
import type { LogBatcher } from '../shared/log-batcher';
import { deletePod } from './pod-api';
import { deleteRunSecret } from './run-secret';

export interface RunContext {
  conn: KubeConnection;
  namespace: string;
  podName: string;
  /** The pod's uid once created: only that pod is deleted (a pod made under the name since is not ours). */
  podUid?: string;
  /** Set once this attempt created (or replaced its own) run Secret, with its uid. */
  secretName?: string;
  secretUid?: string;
  logs: LogBatcher;
  mask: (text: string) => string;
}

export interface FinishOptions {
  keepFinishedPodsMs: number;
  reportError(error: unknown): void;
}

/** Seconds a stopped pod's containers get after SIGTERM (Tekton's entrypoint passes it on to the step). */
const STOP_GRACE_SECONDS = 1;

/**
 * `stop`: the TaskRun was stopped from outside (cancel, timeout, cannot start): the pod is deleted at once, its
 * log followers get the last lines as the containers stop. Otherwise the pod finished: kept for `keepFinishedPodsMs`
 * (the reaper deletes it when this worker is gone by then), else deleted. The Secret goes in every case.
 */
export async function finishPod(
  o: FinishOptions,
  ctx: RunContext,
  how: { podCreated: boolean; stop?: boolean },
): Promise<void> {
  const deletions: Promise<unknown>[] = [];
  if (how.podCreated) {
    if (how.stop) deletions.push(deletePod(ctx.conn, ctx.namespace, ctx.podName, STOP_GRACE_SECONDS, ctx.podUid));
    else if (o.keepFinishedPodsMs > 0) {
      const timer = setTimeout(() => {
        deletePod(ctx.conn, ctx.namespace, ctx.podName, undefined, ctx.podUid).catch(o.reportError);
      }, o.keepFinishedPodsMs);
      timer.unref();
    } else deletions.push(deletePod(ctx.conn, ctx.namespace, ctx.podName, undefined, ctx.podUid));
  }
  if (ctx.secretName) deletions.push(deleteRunSecret(ctx.conn, ctx.namespace, ctx.secretName, ctx.secretUid));
  const settled = await Promise.allSettled(deletions);
  for (const s of settled) if (s.status === 'rejected') o.reportError(s.reason);
}
