/**
 * persistentVolumeClaim workspaces under the Kubernetes executor, through apply and the engine on the real node: a
 * PersistentVolumeClaim document applied to Keelson becomes a claim in the run namespace (the default StorageClass
 * keelson-local binds it), labelled as the project's and kept after the run; a claim that neither Keelson nor the
 * cluster has fails the TaskRun at once, saying what to do, instead of leaving the pod Pending until the start timeout.
 */
import { describe, expect, it } from 'vitest';
import { runTaskRun, useHarness } from '../pipeline-semantics-support';
import { makeClients, randomName } from './cluster';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

const claimDoc = (name: string, extra = '') => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: ${name} }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 24Mi } }${extra}
`;

const taskRunDoc = (name: string, claim: string, script: string) => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: ${name} }
spec:
  workspaces:
    - name: data
      persistentVolumeClaim: { claimName: ${claim} }
  taskSpec:
    workspaces: [{ name: data }]
    steps:
      - name: s
        image: busybox
        script: |
          ${script}
`;

describe.skipIf(!realNode)('Kubernetes executor: persistentVolumeClaim workspaces', () => {
  const h = useHarness();
  const kube = makeClients();

  it('a PersistentVolumeClaim document becomes a claim in the run namespace, kept after the run, data persisting', async () => {
    const claim = randomName('cache');
    const first = await runTaskRun(
      h,
      `${claimDoc(claim)}---\n${taskRunDoc(randomName('w'), claim, 'echo one >> $(workspaces.data.path)/history')}`,
    );
    expect(first.row.state, JSON.stringify(first.row.status)).toBe('succeeded');
    const namespace = first.row.podNamespace!;
    expect(namespace).toBeTruthy();

    const made = await kube.core.readNamespacedPersistentVolumeClaim({ name: claim, namespace });
    expect(made.metadata?.labels).toEqual({
      'app.kubernetes.io/managed-by': 'keelson',
      'keelson.dev/project': 'default',
    });
    expect(made.spec?.resources?.requests?.storage).toBe('24Mi');
    expect(made.spec?.accessModes).toEqual(['ReadWriteOnce']);
    expect(made.spec?.storageClassName).toBe('keelson-local');
    expect(made.metadata?.deletionTimestamp).toBeUndefined();

    // A second run finds the claim (and what the first wrote in it).
    const second = await runTaskRun(
      h,
      taskRunDoc(
        randomName('r'),
        claim,
        'echo two >> $(workspaces.data.path)/history; cat $(workspaces.data.path)/history',
      ),
    );
    expect(second.row.state, JSON.stringify(second.row.status)).toBe('succeeded');
    expect(second.lines).toEqual(expect.arrayContaining(['one', 'two']));
    const still = await kube.core.readNamespacedPersistentVolumeClaim({ name: claim, namespace });
    expect(still.metadata?.uid).toBe(made.metadata?.uid);
    expect(still.metadata?.deletionTimestamp).toBeUndefined();
  }, 240_000);

  it('a claim neither applied to Keelson nor in the cluster fails the TaskRun at once with PodCreationFailed', async () => {
    const claim = randomName('nowhere');
    const began = Date.now();
    const { row } = await runTaskRun(h, taskRunDoc(randomName('m'), claim, 'echo never'));
    const took = Date.now() - began;
    const condition = (row.status as { conditions: { reason: string; message: string }[] }).conditions[0];
    expect(row.state).toBe('failed');
    expect(condition.reason).toBe('PodCreationFailed');
    expect(condition.message).toMatch(
      new RegExp(
        `PersistentVolumeClaim "${claim}" does not exist in namespace "sem-[0-9a-f]+".*Apply a PersistentVolumeClaim named "${claim}".*or create it in namespace "sem-[0-9a-f]+"`,
      ),
    );
    // Not after the start timeout (30 s in this suite, 300 s by default): no pod was made to wait on.
    expect(took).toBeLessThan(15_000);
    expect(row.podNamespace).toBeNull();
  }, 120_000);

  it('a document naming spec.volumeName is not created (it could bind a volume of another project)', async () => {
    const claim = randomName('pinned');
    const { row } = await runTaskRun(
      h,
      `${claimDoc(claim, '\n  volumeName: someone-elses-pv')}---\n${taskRunDoc(randomName('v'), claim, 'echo never')}`,
    );
    const condition = (row.status as { conditions: { reason: string; message: string }[] }).conditions[0];
    expect(row.state).toBe('failed');
    expect(condition.reason).toBe('PodCreationFailed');
    expect(condition.message).toContain('does not create a claim that names spec.volumeName');
    const namespace = condition.message.match(/namespace "([^"]+)"/)?.[1];
    const list = await kube.core.listNamespacedPersistentVolumeClaim({ namespace: namespace! });
    expect(list.items.map((c) => c.metadata?.name)).not.toContain(claim);
  }, 120_000);
});
