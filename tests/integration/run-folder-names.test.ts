import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { pipelineRuns, taskRuns } from '../../lib/adapters/db/schema';
import type { TFrozenRunSpec } from '../../lib/domain/pipeline/stored-schemas';
import { childContext } from '../../lib/server/pipeline/child-task-run-context';
import { alice, bob, useProjects } from './pipeline-projects-support';

/**
 * Run folders share one namespace (`<data>/runs/`) while PipelineRun and TaskRun names are unique only in their own
 * table, and across projects. Project team-a's PipelineRun `shared` and project team-b's standalone TaskRun `shared`
 * may both exist (each create path checks its own table), so their folders must differ, or team-b's TaskRun would
 * read and write team-a's shared workspaces.
 */
const h = useProjects();

const sharedRun = (project: string) => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: shared, namespace: ${project} }
spec:
  workspaces: [{ name: source, emptyDir: {} }]
  pipelineSpec:
    workspaces: [{ name: source }]
    tasks:
      - name: t
        workspaces: [{ name: source, workspace: source }]
        taskSpec: { workspaces: [{ name: source }], steps: [{ name: s, image: alpine, script: 'ls' }] }
`;

const sharedTaskRun = (project: string, name: string) => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: ${name}, namespace: ${project} }
spec:
  workspaces: [{ name: source, emptyDir: {} }]
  taskSpec: { workspaces: [{ name: source }], steps: [{ name: s, image: alpine, script: 'ls' }] }
`;

type Bound = Record<string, { hostPath: string }>;

async function pipelineRunWorkspace(name: string): Promise<string> {
  const [run] = await h.t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.name, name));
  const ed = h.ed();
  const ctx = await ed.stores.transaction((tx) => childContext(ed, tx, run, run.spec as TFrozenRunSpec));
  return (ctx.boundWorkspaces as Bound).source.hostPath;
}

async function taskRunWorkspace(name: string): Promise<string> {
  const [row] = await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.name, name));
  const plan = row.plan as unknown as { workspaces: { name: string; hostPath: string }[] };
  return plan.workspaces.find((w) => w.name === 'source')!.hostPath;
}

it("a PipelineRun and another project's standalone TaskRun of the same name never share a run folder", async () => {
  expect((await h.apply(alice, sharedRun('team-a'))).runs).toHaveLength(1);
  // Allowed, as upstream (a PipelineRun and a TaskRun are different kinds); only their folders must differ.
  expect((await h.apply(bob, sharedTaskRun('team-b', 'shared'))).runs).toHaveLength(1);
  const a = await pipelineRunWorkspace('shared');
  const b = await taskRunWorkspace('shared');
  expect(a).not.toBe(b);
  expect(a.startsWith(`${b}/`) || b.startsWith(`${a}/`)).toBe(false);
});
