import { beforeAll, describe, expect, it } from 'vitest';
import { cancelPipelineRun } from '../../lib/server/pipeline/cancel-pipeline-run';
import { deletePipelineRun } from '../../lib/server/pipeline/delete-pipeline-run';
import { findAuthorizedTaskRun } from '../../lib/server/pipeline/find-task-run';
import { getPipelineRun } from '../../lib/server/pipeline/get-pipeline-run';
import { listPipelineRuns } from '../../lib/server/pipeline/list-pipeline-runs';
import { listTaskRuns } from '../../lib/server/pipeline/list-task-runs';
import { pipelineRun, start, useHarness, waitForRun } from './pipeline-semantics-support';
import { principal } from './support/principals';

/**
 * Pipelines in Pipelines, who sees what: a child PipelineRun (`<parent>-<task>`) and every TaskRun of a run tree
 * are authorized as the tree's root run, `<project>/<root>`. A role granted the explicitly named run `nightly`
 * opens its child `nightly-scans` (the parent's page links to it) and their logs; a pattern meant for another
 * Pipeline's runs (`deploy-run-*`) does not reach a child whose name happens to match it (`deploy-run-x`).
 */
const h = useHarness();
const carol = principal('carol');
const dan = principal('dan');
const erin = principal('erin');

const step = (script: string) => ({ steps: [{ name: 's', image: 'alpine', script }] });
const withChild = (task: string, script: string) => ({
  tasks: [
    { name: 'build', taskSpec: step('echo built') },
    { name: task, pipelineSpec: { tasks: [{ name: 'lint', taskSpec: step(script) }] } },
  ],
});

beforeAll(async () => {
  await h.t.deps().accessStores.rbac.put(
    {
      'policy.default': '',
      'policy.csv': [
        'g, ci, role:admin',
        'p, role:night-watch, pipelineruns, get, default/nightly, allow',
        'p, role:night-watch, logs, get, default/nightly, allow',
        'g, carol, role:night-watch',
        'p, role:stopper, pipelineruns, get, default/long, allow',
        'p, role:stopper, pipelineruns, cancel, default/long, allow',
        'p, role:stopper, pipelineruns, delete, default/long, allow',
        'g, dan, role:stopper',
        'p, role:deployers, pipelineruns, get, default/deploy-run-*, allow',
        'g, erin, role:deployers',
      ].join('\n'),
    },
    'test',
  );
});

describe('a child PipelineRun is authorized as its root run', () => {
  it('who may get `nightly` gets its child `nightly-scans`, lists both, and reads every TaskRun and log of the tree', async () => {
    const run = await start(h, pipelineRun('nightly', withChild('scans', 'echo scanned')));
    expect((await waitForRun(h, run.id)).conditionStatus).toBe('True');
    const child = await getPipelineRun(h.control(), carol, 'nightly-scans');
    expect(child.metadata.name).toBe('nightly-scans');
    // What the run page asks can-i for its Cancel and Delete buttons.
    expect(child.authorizedAs).toBe('default/nightly');
    expect((await getPipelineRun(h.control(), carol, 'nightly')).childPipelineRuns.map((c) => c.name)).toEqual([
      'nightly-scans',
    ]);
    const listed = await listPipelineRuns(h.control(), carol, { page: 1, limit: 10 });
    expect(listed.items.map((r) => r.name).sort()).toEqual(['nightly', 'nightly-scans']);
    expect(listed.total).toBe(2);
    await expect(
      findAuthorizedTaskRun(h.control(), carol, 'nightly-scans-lint', { logs: true }),
    ).resolves.toMatchObject({
      name: 'nightly-scans-lint',
    });
    await expect(findAuthorizedTaskRun(h.control(), carol, 'nightly-build', { logs: true })).resolves.toMatchObject({
      name: 'nightly-build',
    });
    const taskRuns = await listTaskRuns(h.control(), carol, { limit: 50 });
    expect(taskRuns.items.map((r) => r.metadata.name).sort()).toEqual(['nightly-build', 'nightly-scans-lint']);
    expect(
      (await listTaskRuns(h.control(), carol, { pipelineRun: 'nightly-scans', limit: 5 })).items.map(
        (r) => r.metadata.name,
      ),
    ).toEqual(['nightly-scans-lint']);
  });

  it('a refusal on a child names the root object it asked; get does not grant cancel or delete', async () => {
    await expect(deletePipelineRun(h.control(), carol, 'nightly-scans')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { denied: { resource: 'pipelineruns', action: 'delete', object: 'default/nightly' } },
    });
    expect(await h.ed.stores.runs.findByName('nightly-scans')).toBeDefined();
  });

  it('who may cancel and delete `long` cancels its running child `long-wait` and deletes it once `long` ended', async () => {
    const run = await start(h, pipelineRun('long', withChild('wait', 'sleep 30')));
    for (let i = 0; i < 100 && !(await h.ed.stores.runs.findByName('long-wait')); i++) {
      await h.engine.tick();
      await new Promise((r) => setTimeout(r, 100));
    }
    await expect(getPipelineRun(h.control(), carol, 'long-wait')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { denied: { object: 'default/long' } },
    });
    await cancelPipelineRun(h.control(), dan, 'long-wait', 'Cancelled');
    const parent = await waitForRun(h, run.id);
    expect(parent.conditionStatus).toBe('False');
    await deletePipelineRun(h.control(), dan, 'long-wait');
    expect(await h.ed.stores.runs.findByName('long-wait')).toBeUndefined();
  });

  it("a child whose name matches a pattern meant for another Pipeline's runs is not reached through it", async () => {
    const run = await start(h, pipelineRun('deploy', withChild('run-x', 'echo x')));
    expect((await waitForRun(h, run.id)).conditionStatus).toBe('True');
    expect(await h.ed.stores.runs.findByName('deploy-run-x')).toBeDefined();
    await expect(getPipelineRun(h.control(), erin, 'deploy-run-x')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { denied: { resource: 'pipelineruns', action: 'get', object: 'default/deploy' } },
    });
    expect((await listPipelineRuns(h.control(), erin, { page: 1, limit: 10 })).items.map((r) => r.name)).not.toContain(
      'deploy-run-x',
    );
    await expect(findAuthorizedTaskRun(h.control(), erin, 'deploy-run-x-lint')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
