import { describe, expect, it } from 'vitest';
import { build, plan, step } from './pod-fixtures';

const ws = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  mountPath: `/workspace/${name}`,
  hostPath: `/data/${name}`,
  readOnly: false,
  ...extra,
});

describe('buildTaskRunPod: workspaces and volumes', () => {
  it('makes a volume per workspace binding, with subPath and readOnly on the mounts', () => {
    const { pod, problems, secret } = build(
      plan({
        workspaces: [
          ws('src', { source: { kind: 'persistentVolumeClaim', claimName: 'shared' }, subPath: 'run-1' }),
          ws('cache', { source: { kind: 'emptyDir', medium: 'Memory' } }),
          ws('shared', { source: { kind: 'volumeClaimTemplate', claimName: 'pvc-1a2b3c', template: {} } }),
          ws('store', {
            source: { kind: 'csi', csi: { driver: 'secrets.csi.k8s.io', readOnly: true } },
            readOnly: true,
          }),
          ws('conf', {
            source: {
              kind: 'files',
              files: [
                { path: 'app.yaml', value: 'a: 1' },
                { path: 'token', secret: { secret: 'creds', key: 'token' } },
                { path: 'logo.png', base64: 'iVBORw0KGgo=' },
              ],
            },
            readOnly: true,
          }),
        ],
      }),
      { secrets: { creds: { token: 's3cret' } } },
    );
    expect(problems).toEqual([]);
    const vol = (name: string) => pod.spec.volumes.find((v) => v.name === name);
    expect(vol('ws-src')).toEqual({ name: 'ws-src', persistentVolumeClaim: { claimName: 'shared' } });
    expect(vol('ws-cache')).toEqual({ name: 'ws-cache', emptyDir: { medium: 'Memory' } });
    expect(vol('ws-shared')).toEqual({ name: 'ws-shared', persistentVolumeClaim: { claimName: 'pvc-1a2b3c' } });
    expect(vol('ws-store')).toEqual({ name: 'ws-store', csi: { driver: 'secrets.csi.k8s.io', readOnly: true } });
    expect(vol('ws-conf')).toEqual({
      name: 'ws-conf',
      secret: {
        secretName: 'ci-build-pod-run',
        items: [
          { key: 'ws.conf.app.yaml', path: 'app.yaml' },
          { key: 'ws.conf.token', path: 'token' },
          { key: 'ws.conf.logo.png', path: 'logo.png' },
        ],
      },
    });
    expect(secret).toEqual({
      name: 'ci-build-pod-run',
      stringData: { 'ws.conf.app.yaml': 'a: 1', 'ws.conf.token': 's3cret' },
      data: { 'ws.conf.logo.png': 'iVBORw0KGgo=' },
    });
    expect(pod.spec.containers[0].volumeMounts?.slice(0, 5)).toEqual([
      { name: 'ws-src', mountPath: '/workspace/src', subPath: 'run-1', readOnly: false },
      { name: 'ws-cache', mountPath: '/workspace/cache', readOnly: false },
      { name: 'ws-shared', mountPath: '/workspace/shared', readOnly: false },
      { name: 'ws-store', mountPath: '/workspace/store', readOnly: true },
      { name: 'ws-conf', mountPath: '/workspace/conf', readOnly: true },
    ]);
    // Never a secret value in the pod spec.
    expect(JSON.stringify(pod)).not.toContain('s3cret');
  });

  it('mounts an isolated workspace only in the steps that list it, at their path', () => {
    const { pod } = build(
      plan({
        workspaces: [ws('creds', { isolated: true, source: { kind: 'emptyDir' } })],
        steps: [step('a', { workspaces: [{ name: 'creds', mountPath: '/creds' }] }), step('b')],
      }),
    );
    const [a, b] = pod.spec.containers;
    expect(a.volumeMounts?.[0]).toEqual({ name: 'ws-creds', mountPath: '/creds', readOnly: false });
    expect(b.volumeMounts?.some((m) => m.name === 'ws-creds')).toBe(false);
  });

  it("makes the Task's volumes from their source or files, and the steps' volumeMounts", () => {
    const { pod, problems } = build(
      plan({
        volumes: [
          { name: 'scratch', kind: 'emptyDir' },
          { name: 'cfg', kind: 'files', files: [{ path: 'a/b.txt', value: 'x' }] },
          { name: 'empty-cfg', kind: 'files', files: [] },
          {
            name: 'data',
            kind: 'unsupported',
            source: 'persistentVolumeClaim',
            volumeSource: { persistentVolumeClaim: { claimName: 'data' } },
          },
        ],
        workspaces: [ws('src', { source: { kind: 'emptyDir' }, subPath: 'base' })],
        steps: [
          step('a', {
            volumeMounts: [
              { volume: 'scratch', mountPath: '/scratch', readOnly: false },
              { volume: 'cfg', mountPath: '/etc/cfg', readOnly: true, subPath: 'a' },
              { volume: 'data', mountPath: '/data', readOnly: false },
              { volume: 'src', workspace: true, mountPath: '/src-lib', subPath: 'lib', readOnly: false },
            ],
          }),
        ],
      }),
    );
    expect(problems).toEqual([]);
    const named = Object.fromEntries(pod.spec.volumes.map((v) => [v.name, v]));
    expect(named.scratch).toEqual({ name: 'scratch', emptyDir: {} });
    expect(named.cfg).toEqual({
      name: 'cfg',
      secret: { secretName: 'ci-build-pod-run', items: [{ key: 'vol.cfg.a_b.txt', path: 'a/b.txt' }] },
    });
    // A secret volume without items would show every key of the run Secret: an empty one is an empty folder.
    expect(named['empty-cfg']).toEqual({ name: 'empty-cfg', emptyDir: {} });
    expect(named.data).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data' } });
    expect(pod.spec.containers[0].volumeMounts?.slice(0, 5)).toEqual([
      { name: 'ws-src', mountPath: '/workspace/src', subPath: 'base', readOnly: false },
      { name: 'scratch', mountPath: '/scratch', readOnly: false },
      { name: 'cfg', mountPath: '/etc/cfg', subPath: 'a', readOnly: true },
      { name: 'data', mountPath: '/data', readOnly: false },
      { name: 'ws-src', mountPath: '/src-lib', subPath: 'base/lib', readOnly: false },
    ]);
  });

  it("a step's own mount at a Tekton path replaces the implicit one", () => {
    const { pod } = build(
      plan({
        volumes: [{ name: 'home', kind: 'emptyDir' }],
        steps: [step('a', { volumeMounts: [{ volume: 'home', mountPath: '/tekton/home', readOnly: false }] })],
      }),
    );
    const homes = pod.spec.containers[0].volumeMounts?.filter((m) => m.mountPath === '/tekton/home');
    expect(homes).toEqual([{ name: 'home', mountPath: '/tekton/home', readOnly: false }]);
  });

  it('says what to do for a plan without Kubernetes sources (made before this executor)', () => {
    const { problems } = build(
      plan({
        workspaces: [ws('src')],
        volumes: [{ name: 'data', kind: 'unsupported', source: 'persistentVolumeClaim' }],
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^workspaces\[0\] \(src\): the plan has no volume for this workspace .*rerun the PipelineRun\.$/,
      ),
      expect.stringMatching(
        /^spec\.volumes\[0\] \(data\): the plan has no Kubernetes source .*rerun the PipelineRun\.$/,
      ),
    ]);
  });
});

describe('buildTaskRunPod: secrets never inline', () => {
  it('puts secretEnv and masked env values in the run Secret and refers to them with secretKeyRef', () => {
    const { pod, secret, problems } = build(
      plan({
        secretsToMask: ['hydrated-value'],
        steps: [
          step('a', {
            env: { PLAIN: 'visible', ALREADY: 'hydrated-value' },
            secretEnv: { TOKEN: { secret: 'creds', key: 'token' } },
          }),
        ],
      }),
      { secrets: { creds: { token: 'tok-123' } } },
    );
    expect(problems).toEqual([]);
    expect(pod.spec.containers[0].env).toEqual([
      { name: 'PLAIN', value: 'visible' },
      { name: 'ALREADY', valueFrom: { secretKeyRef: { name: 'ci-build-pod-run', key: 'env.0.ALREADY' } } },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'ci-build-pod-run', key: 'env.0.TOKEN' } } },
    ]);
    expect(secret.stringData).toEqual({ 'env.0.ALREADY': 'hydrated-value', 'env.0.TOKEN': 'tok-123' });
    const spec = JSON.stringify(pod);
    expect(spec).not.toContain('tok-123');
    expect(spec).not.toContain('hydrated-value');
  });

  it('a Secret key the worker did not load is a problem, not an empty value', () => {
    const { problems, secret } = build(
      plan({ steps: [step('a', { secretEnv: { TOKEN: { secret: 'creds', key: 'gone' } } })] }),
      { secrets: { creds: {} } },
    );
    expect(problems).toEqual([
      'spec.steps[0] (a).env TOKEN: Secret "creds" has no key "gone" (deleted after the TaskRun was created?). Apply the Secret again and rerun.',
    ]);
    expect(secret.stringData).toEqual({});
  });
});

describe('buildTaskRunPod: the run Secret size', () => {
  it("refuses files over a Kubernetes Secret's size, saying what to use instead", () => {
    const big = 'x'.repeat(600_000);
    const { problems } = build(
      plan({
        volumes: [
          {
            name: 'cfg',
            kind: 'files',
            files: [
              { path: 'a', value: big },
              { path: 'b', value: big },
            ],
          },
        ],
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/over the 1000000 bytes a Kubernetes Secret holds; pass large files through a workspace/),
    ]);
  });
});
