/**
 * volumeClaimTemplate claims belong to the PipelineRun the database says (security review F6): a TaskRun's own
 * labels (taskRunSpecs metadata) may say `tekton.dev/pipelineRun: other` on its pod, but its claim is labelled with a
 * hash of project, run name and run uid, and deleted when this run ends, never by a run named `other`.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { taskRuns } from '@/lib/adapters/db/schema';
import { runClaimKey } from '@/lib/adapters/executors/kubernetes/claims';
import { start, useHarness, waitForRun } from '../pipeline-semantics-support';
import { makeClients, randomName } from './cluster';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

describe.skipIf(!realNode)('Kubernetes executor: claims of the PipelineRun the database names', () => {
  const h = useHarness();
  const kube = makeClients();

  it("a taskRunSpecs label tekton.dev/pipelineRun: other doesn't give the claim to another run; it goes with this run", async () => {
    const name = randomName('claims');
    const run = await start(h, {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name },
      spec: {
        taskRunSpecs: [{ pipelineTaskName: 'write', metadata: { labels: { 'tekton.dev/pipelineRun': 'other' } } }],
        workspaces: [
          {
            name: 'shared',
            volumeClaimTemplate: {
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } } },
            },
          },
        ],
        pipelineSpec: {
          workspaces: [{ name: 'shared' }],
          tasks: [
            {
              name: 'write',
              workspaces: [{ name: 'w', workspace: 'shared' }],
              taskSpec: {
                workspaces: [{ name: 'w' }],
                steps: [{ name: 'w', image: 'busybox', script: 'echo kept > $(workspaces.w.path)/note; sleep 3' }],
              },
            },
            {
              name: 'read',
              runAfter: ['write'],
              workspaces: [{ name: 'w', workspace: 'shared' }],
              taskSpec: {
                workspaces: [{ name: 'w' }],
                steps: [{ name: 'r', image: 'busybox', script: 'cat $(workspaces.w.path)/note' }],
              },
            },
          ],
        },
      },
    });
    // The claim as it is while the run goes on: whose it says it is.
    let namespace: string | undefined;
    let labels: Record<string, string> | undefined;
    const until = Date.now() + 120_000;
    while (!labels && Date.now() < until) {
      await h.engine.tick();
      const rows = await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, run.id));
      namespace ??= rows.find((r) => r.podNamespace)?.podNamespace ?? undefined;
      if (namespace) {
        const claims = await kube.core.listNamespacedPersistentVolumeClaim({ namespace });
        labels = claims.items[0]?.metadata?.labels;
      }
      if (!labels) await new Promise((r) => setTimeout(r, 300));
    }
    expect(labels?.['keelson.dev/pipeline-run']).toBe(runClaimKey({ project: 'default', name, uid: run.id }));

    const ended = await waitForRun(h, run.id, 60_000);
    expect(ended.status.conditions[0], JSON.stringify(ended.status)).toMatchObject({ status: 'True' });
    const rows = await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, run.id));
    const write = rows.find((r) => r.pipelineTask === 'write')!;
    // The TaskRun's own label reached its pod as Tekton lets it; the claim did not follow it.
    expect((write.plan as { labels?: Record<string, string> }).labels?.['tekton.dev/pipelineRun']).toBe('other');
    const left = async () =>
      (await kube.core.listNamespacedPersistentVolumeClaim({ namespace: namespace! })).items.filter(
        (c) => !c.metadata?.deletionTimestamp,
      );
    const gone = Date.now() + 60_000;
    while ((await left()).length > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 500));
    expect((await left()).map((c) => c.metadata?.name)).toEqual([]);
  }, 300_000);
});
