import { beforeAll, describe, expect, it } from 'vitest';
import { defaultProject } from '../../lib/domain/gitops/projects';
import { applyDocuments, type RunStarter } from '../../lib/server/pipeline/apply-documents';
import { createPipelineRun } from '../../lib/server/pipeline/create-pipeline-run';
import type { Principal } from '../../lib/server/principal';
import { pipeline, runOf } from './pipeline-concurrency-support';
import { apply, getRun, rejection, useHarness } from './pipeline-semantics-support';
import { principal } from './support/principals';

/**
 * A Pipeline's keelson.dev/concurrency* annotations are its runs' policy: a PipelineRun may override them only if
 * its author may update the Pipeline (security review F7: with `pipelineruns, create` alone, a run annotated
 * `concurrency: "1"` + cancel-in-progress cancelled every run of its group, others' too).
 */
const h = useHarness();
/** May start (and see) any run of the default project, and nothing more: no pipelines update, no cancel. */
const runner = principal('runner', ['runners'], 'session');

beforeAll(async () => {
  const stores = h.t.deps().accessStores;
  const project = (await stores.projects.get('default'))?.project ?? defaultProject();
  project.spec.roles = [
    ...(project.spec.roles ?? []),
    {
      name: 'runner',
      groups: ['runners'],
      policies: ['create', 'get'].map((a) => `p, proj:default:runner, pipelineruns, ${a}, default/*, allow`),
    },
  ];
  await stores.projects.put(project, 'test');
});

const starterFor =
  (who: Principal): RunStarter =>
  async (tx, doc, i) => {
    if (doc.kind !== 'PipelineRun') throw new Error('only PipelineRuns here');
    return { kind: 'PipelineRun', ...(await createPipelineRun(tx, doc, who.username, new Date(), `documents[${i}]`)) };
  };
const applyAs = (who: Principal, input: unknown) => applyDocuments(h.control(), who, input, h.ed.box, starterFor(who));

const annotated = (doc: ReturnType<typeof runOf>, annotations: Record<string, string>) => ({
  ...doc,
  metadata: { ...doc.metadata, annotations },
});
const CIP = { 'keelson.dev/concurrency': '1', 'keelson.dev/concurrency-strategy': 'cancel-in-progress' };

describe('concurrency groups: who may override a Pipeline’s policy', () => {
  it('a user who may create runs but not update the Pipeline gets 403 for each override; nothing is stored, the group untouched', async () => {
    await apply(h, pipeline('ovr', { 'keelson.dev/concurrency': '1' }, 20));
    const { runs } = await applyAs(runner, runOf('ovr', 'ovr-a'));
    expect((await getRun(h, runs[0].id)).startedAt).not.toBeNull();
    const overrides: Record<string, string>[] = [
      CIP,
      { 'keelson.dev/concurrency': '1000' },
      { 'keelson.dev/concurrency-key': 'mine' },
    ];
    for (const [i, override] of overrides.entries()) {
      const err = await rejection(applyAs(runner, annotated(runOf('ovr', `ovr-x${i}`), override)));
      expect(err).toMatchObject({
        code: 'FORBIDDEN',
        details: { denied: { resource: 'pipelines', action: 'update', object: 'default/ovr' } },
      });
      expect(err.message).toContain('which sets keelson.dev/concurrency annotations');
      expect(await h.ed.stores.runs.findByName(`ovr-x${i}`)).toBeUndefined();
    }
    const a = await getRun(h, runs[0].id);
    expect(a.completedAt).toBeNull();
    expect((a.spec as { run: { status?: string } }).run.status).toBeUndefined();
  });

  it('a Pipeline’s own cancel-in-progress still works for a user who may only create runs', async () => {
    await apply(h, pipeline('ovc', CIP, 20));
    const first = (await applyAs(runner, runOf('ovc', 'ovc-a'))).runs[0];
    const second = (await applyAs(runner, runOf('ovc', 'ovc-b'))).runs[0];
    expect((await getRun(h, first.id)).spec).toMatchObject({ run: { status: 'Cancelled' } });
    expect((await getRun(h, second.id)).startedAt).not.toBeNull();
  });

  it('an admin (pipelines update) may override: the run’s limit is in force for its group', async () => {
    await apply(h, pipeline('ova', { 'keelson.dev/concurrency': '1' }, 20));
    await applyAs(runner, runOf('ova', 'ova-a'));
    const { runs } = await apply(h, annotated(runOf('ova', 'ova-b'), { 'keelson.dev/concurrency': '2' }));
    const b = await getRun(h, runs[0].id);
    expect(b.concurrencyLimit).toBe(2);
    expect(b.startedAt).not.toBeNull();
  });

  it('an inline run needs no Pipeline right to join a group, but its cancel-in-progress needs pipelineruns cancel', async () => {
    const inline = (name: string, annotations: Record<string, string>) => ({
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name, annotations },
      spec: {
        pipelineSpec: {
          tasks: [{ name: 't', taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'sleep 20' }] } }],
        },
      },
    });
    const { runs } = await applyAs(runner, inline('ovi-a', { 'keelson.dev/concurrency': '1' }));
    expect((await getRun(h, runs[0].id)).concurrencyLimit).toBe(1);
    const err = await rejection(applyAs(runner, inline('ovi-b', CIP)));
    expect(err).toMatchObject({
      code: 'FORBIDDEN',
      details: { denied: { resource: 'pipelineruns', action: 'cancel', object: 'default/*' } },
    });
    expect(await h.ed.stores.runs.findByName('ovi-b')).toBeUndefined();
    expect((await getRun(h, runs[0].id)).spec).not.toMatchObject({ run: { status: 'Cancelled' } });
    // Nor does an inline run join the group of a Pipeline named "inline" (its policy would be the newest run's).
    await apply(h, pipeline('inline', { 'keelson.dev/concurrency': '1' }, 20));
    const held = (await applyAs(runner, runOf('inline', 'inline-held'))).runs[0];
    const own = { 'keelson.dev/concurrency': '1000', 'keelson.dev/concurrency-key': 'main' };
    const escaped = (await applyAs(runner, inline('ovi-c', own))).runs[0];
    expect((await getRun(h, held.id)).concurrencyGroup).toBe('default/inline/main');
    expect((await getRun(h, escaped.id)).concurrencyGroup).toBe('default/(inline)/main');
  });
});
