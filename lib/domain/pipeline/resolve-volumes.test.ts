import { describe, expect, it } from 'vitest';
import { resolveStepVolumes, resolveVolumes, sidecarContainerName } from './resolve-volumes';
import { ZStep, ZTaskSpec } from './task-schemas';
import type { ValidationError } from './validation-error';

const configMaps = { app: { 'a.txt': 'A', 'b.txt': 'B' } };
const secretKeys = { creds: ['token'] };

function resolve(volumes: unknown[], sidecars?: unknown[]) {
  const spec = ZTaskSpec.parse({ steps: [{ name: 's', image: 'x', script: 'true' }], volumes, sidecars });
  const r = resolveVolumes({ spec, scope: { 'params.cm': 'app' }, task: 't', configMaps, secretKeys });
  // What the local executor reads; the Kubernetes fields (volumeSource, container) are tested on their own.
  return {
    ...r,
    volumes: r.volumes.map(({ volumeSource: _, ...v }) => v),
    sidecars: r.sidecars.map(({ container: _, ...s }) => s),
  };
}

describe('resolveVolumes', () => {
  it('gives an emptyDir, ConfigMap files with their values and Secret files as references to mask', () => {
    const r = resolve([
      { name: 'e', emptyDir: {} },
      { name: 'c', configMap: { name: '$(params.cm)', items: [{ key: 'b.txt', path: 'conf/./b.txt' }] } },
      { name: 's', secret: { secretName: 'creds' } },
      { name: 'p', projected: { sources: [{ configMap: { name: 'app' } }, { secret: { name: 'creds' } }] } },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.volumes).toEqual([
      { name: 'e', kind: 'emptyDir' },
      { name: 'c', kind: 'files', files: [{ path: 'conf/b.txt', value: 'B' }] },
      { name: 's', kind: 'files', files: [{ path: 'token', secret: { secret: 'creds', key: 'token' } }] },
      {
        name: 'p',
        kind: 'files',
        files: [
          { path: 'a.txt', value: 'A' },
          { path: 'b.txt', value: 'B' },
          { path: 'token', secret: { secret: 'creds', key: 'token' } },
        ],
      },
    ]);
    expect(r.maskRefs).toEqual([
      { secret: 'creds', key: 'token' },
      { secret: 'creds', key: 'token' },
    ]);
  });

  it('a missing ConfigMap, Secret or key fails as a pod would (CreateContainerConfigError), unless optional', () => {
    const r = resolve([
      { name: 'a', configMap: { name: 'nope' } },
      { name: 'b', secret: { secretName: 'creds', items: [{ key: 'other', path: 'o' }] } },
      { name: 'c', configMap: { name: 'nope', optional: true } },
      { name: 'd', secret: { secretName: 'creds', optional: true, items: [{ key: 'other', path: 'o' }] } },
    ]);
    expect(r.errors.map((e) => [e.reason, e.path, e.message])).toEqual([
      ['CreateContainerConfigError', 'spec.volumes[0].configMap', 'ConfigMap "nope" does not exist'],
      ['CreateContainerConfigError', 'spec.volumes[1].secret.items[0].key', 'Secret "creds" has no key "other"'],
    ]);
    expect(r.volumes.slice(2)).toEqual([
      { name: 'c', kind: 'files', files: [] },
      { name: 'd', kind: 'files', files: [] },
    ]);
  });

  it('records cluster-only sources (persistentVolumeClaim, csi, projected serviceAccountToken) as unsupported', () => {
    const r = resolve([
      { name: 'a', persistentVolumeClaim: { claimName: 'c' } },
      { name: 'b', csi: { driver: 'd' } },
      { name: 'c', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
    ]);
    expect(r.volumes.map((v) => [v.kind, v.source])).toEqual([
      ['unsupported', 'persistentVolumeClaim'],
      ['unsupported', 'csi'],
      ['unsupported', 'projected.serviceAccountToken'],
    ]);
  });

  it('a projected volume with a cluster-only source is unsupported here, its configMap and secret files kept', () => {
    const r = resolve([
      {
        name: 'p',
        projected: {
          sources: [
            { configMap: { name: '$(params.cm)', items: [{ key: 'a.txt', path: 'a' }] } },
            { downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } },
            { secret: { name: 'creds' } },
          ],
        },
      },
    ]);
    expect(r.volumes).toEqual([
      {
        name: 'p',
        kind: 'unsupported',
        source: 'projected.downwardAPI',
        files: [
          { path: 'a', value: 'A' },
          { path: 'token', secret: { secret: 'creds', key: 'token' } },
        ],
      },
    ]);
    expect(r.maskRefs).toEqual([{ secret: 'creds', key: 'token' }]);
  });

  it('lists sidecars with their image substituted', () => {
    const r = resolve([], [{ name: 'db', image: 'postgres:$(params.cm)' }]);
    expect(r.sidecars).toEqual([{ name: 'db', image: 'postgres:app' }]);
  });

  it('a volume without a source is an emptyDir, as Kubernetes defaults it', () => {
    expect(resolve([{ name: 'plain' }]).volumes).toEqual([{ name: 'plain', kind: 'emptyDir' }]);
  });

  it('an unnamed sidecar is accepted; its container (and log) is "sidecar", as upstream names it', () => {
    const r = resolve([], [{ image: 'x', script: 'sleep 1' }]);
    expect(r.errors).toEqual([]);
    expect(r.sidecars).toEqual([{ name: '', image: 'x', script: 'sleep 1' }]);
    expect(r.sidecars.map((s) => sidecarContainerName(s.name))).toEqual(['sidecar']);
    expect(sidecarContainerName('db')).toBe('sidecar-db');
  });

  it("records each volume's Kubernetes source verbatim after substitution, an emptyDir for none", () => {
    const spec = ZTaskSpec.parse({
      steps: [{ name: 's', image: 'x', script: 'true' }],
      volumes: [
        { name: 'plain' },
        { name: 'c', configMap: { name: '$(params.cm)', items: [{ key: 'b.txt', path: 'b' }], defaultMode: 0o400 } },
        { name: 'p', persistentVolumeClaim: { claimName: 'cache-$(params.cm)', readOnly: true } },
        { name: 'd', csi: { driver: 'secrets-store.csi.k8s.io', volumeAttributes: { provider: '$(params.cm)' } } },
      ],
    });
    const r = resolveVolumes({ spec, scope: { 'params.cm': 'app' }, task: 't', configMaps, secretKeys });
    expect(r.volumes.map((v) => v.volumeSource)).toEqual([
      { emptyDir: {} },
      { configMap: { name: 'app', items: [{ key: 'b.txt', path: 'b' }], defaultMode: 0o400 } },
      { persistentVolumeClaim: { claimName: 'cache-app', readOnly: true } },
      { csi: { driver: 'secrets-store.csi.k8s.io', volumeAttributes: { provider: 'app' } } },
    ]);
  });

  it('gives each sidecar as a Container: probes, ports, env from Secrets, resources with sidecarSpecs over them', () => {
    const spec = ZTaskSpec.parse({
      steps: [{ name: 's', image: 'x', script: 'true' }],
      sidecars: [
        {
          name: 'db',
          image: 'postgres:$(params.cm)',
          imagePullPolicy: 'IfNotPresent',
          script: 'exec postgres',
          env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }],
          ports: [{ containerPort: 5432 }],
          readinessProbe: { tcpSocket: { port: 5432 }, periodSeconds: 1 },
          securityContext: { runAsUser: 999 },
          computeResources: { limits: { memory: '1Gi', cpu: 1 } },
        },
      ],
    });
    const pod = { sidecarSpecs: [{ name: 'db', computeResources: { limits: { memory: '2Gi' } } }] };
    const r = resolveVolumes({ spec, scope: { 'params.cm': '16' }, task: 't', configMaps, secretKeys, pod });
    expect(r.sidecars[0].container).toEqual({
      name: 'db',
      image: 'postgres:16',
      imagePullPolicy: 'IfNotPresent',
      env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }],
      ports: [{ containerPort: 5432 }],
      readinessProbe: { tcpSocket: { port: 5432 }, periodSeconds: 1 },
      securityContext: { runAsUser: 999 },
      resources: { limits: { memory: '2Gi', cpu: '1' } },
    });
    expect(r.sidecars[0].script).toBe('exec postgres');
  });

  it('two sidecars with one container name fail the TaskRun, as a pod refuses them', () => {
    const r = resolve(
      [],
      [
        { image: 'x', script: 'a' },
        { image: 'y', script: 'b' },
      ],
    );
    expect(r.errors).toEqual([
      expect.objectContaining({ path: 'spec.sidecars[1].name', message: expect.stringMatching(/name each sidecar/) }),
    ]);
  });
});

describe('resolveStepVolumes', () => {
  const volumes = [
    { name: 'e', kind: 'emptyDir' as const },
    { name: 'c', kind: 'files' as const, files: [] },
  ];
  function step(fields: Record<string, unknown>, scope: Record<string, string> = {}) {
    const errors: ValidationError[] = [];
    const out = resolveStepVolumes(ZStep.parse({ name: 's', script: 'x', ...fields }), 0, scope, volumes, 't', errors);
    return { out, errors };
  }

  it('substitutes and normalises mounts; a files volume is always read-only, an emptyDir only when asked', () => {
    const { out, errors } = step(
      {
        volumeMounts: [
          { name: 'e', mountPath: '/cache/$(params.d)/', subPath: './$(params.d)//x' },
          { name: 'c', mountPath: '/conf' },
          { name: 'e', mountPath: '/ro', readOnly: true },
        ],
        stdoutConfig: { path: '$(results.out.path)' },
        stderrConfig: { path: '/workspace/err' },
      },
      { 'params.d': 'npm', 'results.out.path': '/tekton/results/out' },
    );
    expect(errors).toEqual([]);
    expect(out).toEqual({
      volumeMounts: [
        { volume: 'e', mountPath: '/cache/npm', subPath: 'npm/x', readOnly: false },
        { volume: 'c', mountPath: '/conf', readOnly: true },
        { volume: 'e', mountPath: '/ro', readOnly: true },
      ],
      stdoutPath: '/tekton/results/out',
      stderrPath: '/workspace/err',
    });
  });

  it('a volumeMount named $(workspaces.<w>.volume) mounts that bound workspace (upstream’s workspace-in-sidecar)', () => {
    const scope = { 'workspaces.signals.volume': 'signals', 'workspaces.signals.path': '/workspace/signals' };
    const { out, errors } = step(
      { volumeMounts: [{ name: '$(workspaces.signals.volume)', mountPath: '$(workspaces.signals.path)' }] },
      scope,
    );
    expect(errors).toEqual([]);
    expect(out.volumeMounts).toEqual([
      { volume: 'signals', workspace: true, mountPath: '/workspace/signals', readOnly: false },
    ]);
    // Unbound, the reference gives "" and names nothing.
    expect(
      step({ volumeMounts: [{ name: '$(workspaces.x.volume)', mountPath: '/x' }] }, { 'workspaces.x.volume': '' })
        .errors,
    ).toHaveLength(1);
  });

  it('a mountPath param may give /tekton/home or /workspace, which the volume replaces for the step', () => {
    for (const d of ['/tekton/home', '/workspace/']) {
      const { out, errors } = step({ volumeMounts: [{ name: 'e', mountPath: '$(params.d)' }] }, { 'params.d': d });
      expect(errors).toEqual([]);
      expect(out.volumeMounts?.[0].mountPath).toBe(d.replace(/\/$/, ''));
    }
  });

  it.each([
    [
      'a subPath param that climbs out',
      { name: 'e', mountPath: '/c', subPath: '$(params.d)' },
      '../..',
      /subPath "\.\.\/\.\." contains "\.\."/,
    ],
    ['a mountPath param into /tekton', { name: 'e', mountPath: '$(params.d)' }, '/tekton/steps', /lies under \/tekton/],
    ['a mountPath param onto the sandbox’s tools', { name: 'e', mountPath: '$(params.d)' }, '/usr/bin', /would cover/],
    ['a mountPath param that climbs', { name: 'e', mountPath: '/a/$(params.d)' }, '../tekton', /contains "\.\."/],
    [
      'a volume name param naming no volume',
      { name: '$(params.d)', mountPath: '/c' },
      'zz',
      /volume "zz", which the Task does not declare/,
    ],
    ['subPathExpr', { name: 'e', mountPath: '/c', subPathExpr: '$(POD_NAME)' }, '', /subPathExpr .* is not supported/],
  ])('fails the TaskRun for %s', (_label, mount, value, message) => {
    const { out, errors } = step({ volumeMounts: [mount] }, { 'params.d': value });
    expect(out.volumeMounts).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0].reason).toBe('TaskRunValidationFailed');
    expect(errors[0].message).toMatch(message);
  });
});
