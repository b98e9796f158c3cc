import { describe, expect, it } from 'vitest';
import { ZWorkspaceBinding } from '@/lib/domain/pipeline/run-schemas';
import { volumeClaimTemplateName, workspaceSource } from './workspace-source';

const companions = {
  configMaps: { app: { 'a.txt': 'A', 'b.txt': 'B' } },
  configMapBinary: { app: { blob: 'AAEC' } },
  secrets: { creds: { token: 'hunter2', user: 'me' } },
};
const source = (binding: Record<string, unknown>) =>
  workspaceSource(ZWorkspaceBinding.parse({ name: 'ws1', ...binding }), '0b1e6d5a-uid', companions);

describe('workspaceSource', () => {
  it('names a volumeClaimTemplate claim as upstream: template name or "pvc", then sha256(workspace + owner uid)[:10]', () => {
    // Expected digests computed independently (python3 hashlib.sha256(b'ws1' + b'0b1e6d5a-uid')).
    expect(volumeClaimTemplateName({}, 'ws1', '0b1e6d5a-uid')).toBe('pvc-f036caf315');
    expect(volumeClaimTemplateName({ metadata: { name: 'data' } }, 'source', 'run-uid-1')).toBe('data-3563dcc35c');
    const template = { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    expect(source({ volumeClaimTemplate: template })).toEqual({
      kind: 'volumeClaimTemplate',
      claimName: 'pvc-f036caf315',
      template,
    });
    // Another run (another uid) gets its own claim; the same run always the same one.
    const other = workspaceSource(
      ZWorkspaceBinding.parse({ name: 'ws1', volumeClaimTemplate: template }),
      'x',
      companions,
    );
    expect(other).not.toEqual(source({ volumeClaimTemplate: template }));
  });

  it('gives emptyDir (with its medium), persistentVolumeClaim and csi as they are bound', () => {
    expect(source({ emptyDir: {} })).toEqual({ kind: 'emptyDir' });
    expect(source({ emptyDir: { medium: 'Memory' } })).toEqual({ kind: 'emptyDir', medium: 'Memory' });
    expect(source({ persistentVolumeClaim: { claimName: 'shared' } })).toEqual({
      kind: 'persistentVolumeClaim',
      claimName: 'shared',
    });
    // The spec of the PersistentVolumeClaim document applied under that name goes with it (the executor creates it).
    const spec = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };
    const binding = ZWorkspaceBinding.parse({ name: 'ws1', persistentVolumeClaim: { claimName: 'shared' } });
    expect(workspaceSource(binding, 'u', { ...companions, claims: { shared: spec, other: {} } })).toEqual({
      kind: 'persistentVolumeClaim',
      claimName: 'shared',
      claimSpec: spec,
    });
    expect(source({ csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true } })).toEqual({
      kind: 'csi',
      csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true },
    });
  });

  it('gives configMap, secret and projected workspaces as files: values, base64 bytes, Secret references', () => {
    expect(source({ configMap: { name: 'app' } })).toEqual({
      kind: 'files',
      files: [
        { path: 'a.txt', value: 'A' },
        { path: 'b.txt', value: 'B' },
        { path: 'blob', base64: 'AAEC' },
      ],
    });
    expect(source({ secret: { secretName: 'creds', items: [{ key: 'token', path: 'auth/./token' }] } })).toEqual({
      kind: 'files',
      files: [{ path: 'auth/token', secret: { secret: 'creds', key: 'token' } }],
    });
    expect(
      source({
        projected: {
          sources: [
            { configMap: { name: 'app', items: [{ key: 'a.txt', path: 'a' }] } },
            { secret: { name: 'creds' } },
          ],
        },
      }),
    ).toEqual({
      kind: 'files',
      files: [
        { path: 'a', value: 'A' },
        { path: 'token', secret: { secret: 'creds', key: 'token' } },
        { path: 'user', secret: { secret: 'creds', key: 'user' } },
      ],
    });
  });

  it('an optional ConfigMap never applied shows no files', () => {
    expect(source({ configMap: { name: 'nope', optional: true } })).toEqual({ kind: 'files', files: [] });
  });

  it('keeps the sources only a cluster projects verbatim, beside the files of the others', () => {
    const downward = { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } };
    const token = { serviceAccountToken: { audience: 'vault', path: 'token' } };
    expect(
      source({
        projected: {
          sources: [downward, { secret: { name: 'creds', items: [{ key: 'user', path: 'user' }] } }, token],
          defaultMode: 0o440,
        },
      }),
    ).toEqual({
      kind: 'projected',
      files: [{ path: 'user', secret: { secret: 'creds', key: 'user' } }],
      sources: [downward, token],
      defaultMode: 0o440,
    });
    expect(source({ projected: { sources: [{ clusterTrustBundle: { path: 'ca.pem', signerName: 'x' } }] } })).toEqual({
      kind: 'projected',
      files: [],
      sources: [{ clusterTrustBundle: { path: 'ca.pem', signerName: 'x' } }],
    });
  });
});
