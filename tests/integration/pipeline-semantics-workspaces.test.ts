import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { child, logLines, onKubernetes, runTaskRun, start, useHarness, waitForRun } from './pipeline-semantics-support';

const h = useHarness();

describe('workspaces', () => {
  // Local only: the local executor shares an emptyDir workspace between a PipelineRun's tasks (one folder per run);
  // Tekton gives each TaskRun pod its own emptyDir, so on Kubernetes the reading task finds nothing (data passes
  // between tasks through a volumeClaimTemplate or a PVC there).
  it.skipIf(onKubernetes)(
    'shares an emptyDir between tasks, respects subPath, and reports an unbound optional workspace',
    async () => {
      const run = await start(
        h,
        `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: ws-shared }
spec:
  workspaces:
    - { name: shared, emptyDir: {} }
  pipelineSpec:
    workspaces: [{ name: shared }]
    tasks:
      - name: write
        workspaces: [{ name: source, workspace: shared, subPath: sub }]
        taskSpec:
          workspaces: [{ name: source }]
          steps:
            - name: w
              image: alpine
              script: echo from-write > /workspace/source/x
      - name: read
        runAfter: [write]
        workspaces: [{ name: source, workspace: shared }]
        taskSpec:
          workspaces:
            - { name: source }
            - { name: extra, optional: true }
          steps:
            - name: r
              image: alpine
              script: |
                echo "sub: $(cat $(workspaces.source.path)/sub/x)"
                [ -e /workspace/source/x ] && echo "x at root" || echo "no x at root"
                echo "source bound=$(workspaces.source.bound) extra bound=$(workspaces.extra.bound)"
`,
      );
      const done = await waitForRun(h, run.id);
      expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
      const lines = await logLines(h, (await child(h, run.id, 'read')).id);
      expect(lines).toContain('sub: from-write');
      expect(lines).toContain('no x at root');
      expect(lines).toContain('source bound=true extra bound=false');
    },
  );

  // Locally the claim is a folder under the worker's volumes dir (read below); on Kubernetes the executor creates the
  // claim in the run namespace from the document, and it outlives the run.
  it('a PersistentVolumeClaim document becomes a named volume that persists across runs', async () => {
    const runDoc = (n: number) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: cache }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 1Gi } }
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: pvc-run-${n} }
spec:
  workspaces:
    - name: data
      persistentVolumeClaim: { claimName: cache }
  pipelineSpec:
    workspaces: [{ name: data }]
    tasks:
      - name: count
        workspaces: [{ name: data, workspace: data }]
        taskSpec:
          workspaces: [{ name: data }]
          steps:
            - name: c
              image: alpine
              script: |
                echo "run ${n}" >> $(workspaces.data.path)/history
                echo "lines $(wc -l < $(workspaces.data.path)/history)"
`;
    for (const n of [1, 2]) {
      const run = await start(h, runDoc(n));
      const done = await waitForRun(h, run.id);
      expect(done.conditionReason).toBe('Succeeded');
      expect(await logLines(h, (await child(h, run.id, 'count')).id)).toContain(`lines ${n}`);
    }
    if (!onKubernetes)
      expect(await readFile(path.join(h.ed.volumesDir, 'cache', 'history'), 'utf8')).toBe('run 1\nrun 2\n');
  });

  it('a configMap workspace shows the ConfigMap data as files', async () => {
    const run = await start(
      h,
      `apiVersion: v1
kind: ConfigMap
metadata: { name: app-config }
data:
  greeting.txt: hello from config
  mode: fast
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: ws-config }
spec:
  workspaces:
    - name: cfg
      configMap: { name: app-config }
  pipelineSpec:
    workspaces: [{ name: cfg }]
    tasks:
      - name: show
        workspaces: [{ name: config, workspace: cfg }]
        taskSpec:
          workspaces: [{ name: config, readOnly: true }]
          steps:
            - name: s
              image: alpine
              script: |
                ls $(workspaces.config.path) | tr '\\n' ' '; echo
                cat /workspace/config/greeting.txt; echo
`,
    );
    const done = await waitForRun(h, run.id);
    expect(done.conditionReason).toBe('Succeeded');
    const lines = await logLines(h, (await child(h, run.id, 'show')).id);
    expect(lines).toContain('greeting.txt mode ');
    expect(lines).toContain('hello from config');
  });

  it('masks secret values from a secret workspace and env.valueFrom.secretKeyRef as *** in stored logs', async () => {
    const run = await start(
      h,
      `apiVersion: v1
kind: Secret
metadata: { name: creds }
stringData:
  token: s3cr3t-T0ken-value
  password: hunter2-long-pass
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: ws-secret }
spec:
  workspaces:
    - name: creds
      secret: { secretName: creds }
  pipelineSpec:
    workspaces: [{ name: creds }]
    tasks:
      - name: use
        workspaces: [{ name: creds, workspace: creds }]
        taskSpec:
          workspaces: [{ name: creds }]
          steps:
            - name: s
              image: alpine
              env:
                - name: TOKEN
                  valueFrom:
                    secretKeyRef: { name: creds, key: token }
              script: |
                echo "env token is $TOKEN"
                echo "file password is $(cat $(workspaces.creds.path)/password)"
                [ "$TOKEN" = "s3cr3t-T0ken-value" ] && echo "token matches"
`,
    );
    const done = await waitForRun(h, run.id);
    expect(done.conditionReason).toBe('Succeeded');
    const lines = await logLines(h, (await child(h, run.id, 'use')).id);
    expect(lines).toContain('env token is ***');
    expect(lines).toContain('file password is ***');
    expect(lines).toContain('token matches');
    expect(lines.join('\n')).not.toMatch(/s3cr3t|hunter2/);
  });
});

/** Upstream's claim of a volumeClaimTemplate binding: `pvc-` + sha256(workspace + owner uid)[:10]. */
const claimOf = (workspace: string, ownerUid: string) =>
  `pvc-${createHash('sha256').update(`${workspace}${ownerUid}`).digest('hex').slice(0, 10)}`;

describe('workspaces: claims and sources only a cluster provides', () => {
  it('$(workspaces.<w>.claim) of a volumeClaimTemplate binding is the claim made for the run, as upstream', async () => {
    const run = await start(
      h,
      `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: ws-claim }
spec:
  workspaces:
    - name: shared
      volumeClaimTemplate:
        spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 16Mi } } }
    - { name: scratch, emptyDir: {} }
  pipelineSpec:
    workspaces: [{ name: shared }, { name: scratch }]
    tasks:
      - name: show
        workspaces: [{ name: data, workspace: shared }, { name: tmp, workspace: scratch }]
        taskSpec:
          workspaces: [{ name: data }, { name: tmp }]
          steps:
            - name: s
              image: alpine
              script: |
                echo "claim=$(workspaces.data.claim) uid=$(context.pipelineRun.uid)"
                echo "tmp claim=[$(workspaces.tmp.claim)]"
`,
    );
    const done = await waitForRun(h, run.id);
    expect(done.conditionReason).toBe('Succeeded');
    const lines = await logLines(h, (await child(h, run.id, 'show')).id);
    const [, claim, uid] = lines.find((l) => l.startsWith('claim='))?.match(/^claim=(\S*) uid=(\S+)$/) ?? [];
    // The PipelineRun's workspace name (not the task's) and its uid name the claim, as the plan's source.claimName.
    expect(claim).toBe(claimOf('shared', uid));
    expect(lines).toContain('tmp claim=[]');
  });

  it('a standalone TaskRun names its volumeClaimTemplate claim after its own uid', async () => {
    const { row, lines } = await runTaskRun(
      h,
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: ws-claim-standalone }
spec:
  workspaces:
    - name: data
      volumeClaimTemplate:
        metadata: { name: cache }
        spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 16Mi } } }
  taskSpec:
    workspaces: [{ name: data }]
    steps:
      - name: s
        image: alpine
        script: echo "claim=$(workspaces.data.claim) uid=$(context.taskRun.uid)"
`,
    );
    expect(row.state).toBe('succeeded');
    const [, claim, uid] = lines.find((l) => l.startsWith('claim='))?.match(/^claim=(\S*) uid=(\S+)$/) ?? [];
    expect(claim).toBe(claimOf('data', uid).replace(/^pvc-/, 'cache-'));
  });

  // Local only: on the Kubernetes executor these mount (a CSI driver is the cluster's; see build-task-run-pod-projected).
  it.skipIf(onKubernetes)(
    'csi and projected downwardAPI workspaces fail their TaskRun at run time with VolumeSourceUnsupported',
    async () => {
      const run = await start(
        h,
        `apiVersion: v1
kind: ConfigMap
metadata: { name: ws-cluster-only-cfg }
data: { a.txt: A }
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: ws-cluster-only }
spec:
  workspaces:
    - name: secrets
      csi: { driver: secrets-store.csi.k8s.io, readOnly: true, volumeAttributes: { secretProviderClass: vault } }
    - name: meta
      projected:
        sources:
          - configMap: { name: ws-cluster-only-cfg }
          - downwardAPI: { items: [{ path: labels, fieldRef: { fieldPath: metadata.labels } }] }
    - { name: plain, emptyDir: {} }
  pipelineSpec:
    workspaces: [{ name: secrets }, { name: meta }, { name: plain }]
    tasks:
      - name: csi
        workspaces: [{ name: secrets, workspace: secrets }]
        taskSpec:
          workspaces: [{ name: secrets }]
          steps: [{ name: s, image: alpine, script: echo csi-ran }]
      - name: projected
        workspaces: [{ name: meta, workspace: meta }]
        taskSpec:
          workspaces: [{ name: meta }]
          steps: [{ name: s, image: alpine, script: echo projected-ran }]
      - name: plain
        workspaces: [{ name: plain, workspace: plain }]
        taskSpec:
          workspaces: [{ name: plain }]
          steps: [{ name: s, image: alpine, script: echo plain-ran }]
`,
      );
      const done = await waitForRun(h, run.id);
      expect(done.status.conditions[0].status).toBe('False');
      const csi = await child(h, run.id, 'csi');
      expect(csi.status.conditions[0]).toMatchObject({ status: 'False', reason: 'VolumeSourceUnsupported' });
      expect(csi.status.conditions[0].message).toMatch(
        /workspace "secrets" is bound to a CSI volume \(driver "secrets-store.csi.k8s.io"\), which the local executor cannot provide: this workspace needs the Kubernetes executor/,
      );
      const projected = await child(h, run.id, 'projected');
      expect(projected.status.conditions[0]).toMatchObject({ status: 'False', reason: 'VolumeSourceUnsupported' });
      expect(projected.status.conditions[0].message).toMatch(
        /workspace "meta" is bound to a projected volume with downwardAPI sources, .*needs the Kubernetes executor/,
      );
      // Refused before any step; the TaskRun that binds only what the worker provides runs.
      expect(await logLines(h, csi.id)).not.toContain('csi-ran');
      expect(await logLines(h, projected.id)).not.toContain('projected-ran');
      expect(await logLines(h, (await child(h, run.id, 'plain')).id)).toContain('plain-ran');
    },
  );
});
