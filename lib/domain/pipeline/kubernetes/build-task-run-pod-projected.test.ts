import { describe, expect, it } from 'vitest';
import type { WorkspacePlan } from '../task-run-plan';
import { build, plan } from './pod-fixtures';

const ws = (name: string, source: WorkspacePlan['source']): WorkspacePlan => ({
  name,
  mountPath: `/workspace/${name}`,
  hostPath: `/data/${name}`,
  readOnly: true,
  source,
});

describe('buildTaskRunPod: workspaces only a cluster provides', () => {
  it('a projected workspace keeps downwardAPI and serviceAccountToken verbatim, its files as run Secret items', () => {
    const downward = { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } };
    const token = { serviceAccountToken: { audience: 'vault', expirationSeconds: 600, path: 'token' } };
    const { pod, secret, problems } = build(
      plan({
        workspaces: [
          ws('meta', {
            kind: 'projected',
            files: [
              { path: 'app.yaml', value: 'a: 1' },
              { path: 'creds/password', secret: { secret: 'db', key: 'password' } },
            ],
            sources: [downward, token],
            defaultMode: 0o440,
          }),
        ],
      }),
      { secrets: { db: { password: 'hunter2' } } },
    );
    // The run Secret named in a projected source is the run's own: no security problem.
    expect(problems).toEqual([]);
    expect(pod.spec.volumes.find((v) => v.name === 'ws-meta')).toEqual({
      name: 'ws-meta',
      projected: {
        sources: [
          {
            secret: {
              name: 'ci-build-pod-run',
              items: [
                { key: 'ws.meta.app.yaml', path: 'app.yaml' },
                { key: 'ws.meta.creds_password', path: 'creds/password' },
              ],
            },
          },
          downward,
          token,
        ],
        defaultMode: 0o440,
      },
    });
    expect(secret.stringData).toEqual({ 'ws.meta.app.yaml': 'a: 1', 'ws.meta.creds_password': 'hunter2' });
    expect(JSON.stringify(pod.spec)).not.toContain('hunter2');
    expect(pod.spec.containers[0].volumeMounts).toContainEqual({
      name: 'ws-meta',
      mountPath: '/workspace/meta',
      readOnly: true,
    });
  });

  it('a projected workspace of cluster sources only has no run Secret source (never every key of it)', () => {
    const { pod, problems } = build(
      plan({
        workspaces: [ws('meta', { kind: 'projected', files: [], sources: [{ clusterTrustBundle: { path: 'ca' } }] })],
      }),
    );
    expect(problems).toEqual([]);
    expect(pod.spec.volumes.find((v) => v.name === 'ws-meta')).toEqual({
      name: 'ws-meta',
      projected: { sources: [{ clusterTrustBundle: { path: 'ca' } }] },
    });
  });

  it('a csi workspace becomes the csi volume as bound', () => {
    const csi = { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'v' } };
    const { pod, problems } = build(plan({ workspaces: [ws('store', { kind: 'csi', csi })] }));
    expect(problems).toEqual([]);
    expect(pod.spec.volumes.find((v) => v.name === 'ws-store')).toEqual({ name: 'ws-store', csi });
  });

  it("a Task's projected volume with a downwardAPI source gets its configMap and secret files from the run Secret", () => {
    const downward = { downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } };
    const { pod, secret, problems } = build(
      plan({
        volumes: [
          {
            name: 'info',
            kind: 'unsupported',
            source: 'projected.downwardAPI',
            files: [
              { path: 'a', value: 'A' },
              { path: 'token', secret: { secret: 'creds', key: 'token' } },
            ],
            volumeSource: {
              projected: {
                sources: [{ configMap: { name: 'app' } }, downward, { secret: { name: 'creds' } }],
                defaultMode: 0o400,
              },
            },
          },
        ],
      }),
      { secrets: { creds: { token: 't0k' } } },
    );
    expect(problems).toEqual([]);
    expect(pod.spec.volumes.find((v) => v.name === 'info')).toEqual({
      name: 'info',
      projected: {
        sources: [
          {
            secret: {
              name: 'ci-build-pod-run',
              items: [
                { key: 'vol.info.a', path: 'a' },
                { key: 'vol.info.token', path: 'token' },
              ],
            },
          },
          downward,
        ],
        defaultMode: 0o400,
      },
    });
    expect(secret.stringData).toEqual({ 'vol.info.a': 'A', 'vol.info.token': 't0k' });
  });

  it("still refuses a projected source naming another Kubernetes Secret than the run's", () => {
    const { problems } = build(
      plan({
        pod: {
          podTemplate: { volumes: [{ name: 'other', projected: { sources: [{ secret: { name: 'other-run' } }] } }] },
        },
      }),
    );
    expect(problems.join('\n')).toMatch(/projected\.sources\[0\]\.secret: names the Kubernetes Secret "other-run"/);
  });
});
