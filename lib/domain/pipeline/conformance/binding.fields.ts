import { type FieldCase, type GoFields, refused } from './cases';
import { binding } from './documents';

export const bindingGoFields: GoFields = {
  WorkspaceBinding: [
    'name',
    'subPath',
    'volumeClaimTemplate',
    'persistentVolumeClaim',
    'emptyDir',
    'configMap',
    'secret',
    'projected',
    'csi',
  ],
  VolumeProjection: ['configMap', 'secret', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle'],
  ProjectedVolumeSource: ['sources', 'defaultMode'],
  CSIVolumeSource: ['driver', 'readOnly', 'fsType', 'volumeAttributes', 'nodePublishSecretRef'],
};

const bound = (type: string, field: string, fields: Record<string, unknown>, title?: string): FieldCase => ({
  type,
  field,
  title,
  doc: binding(fields),
  expect: 'accepted',
});
const projected = (source: Record<string, unknown>) => ({ projected: { sources: [source] } });

export const bindingCases: FieldCase[] = [
  // WorkspaceBinding
  bound('WorkspaceBinding', 'name', { emptyDir: {} }),
  bound('WorkspaceBinding', 'subPath', { emptyDir: {}, subPath: 'cache' }),
  bound('WorkspaceBinding', 'volumeClaimTemplate', {
    volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
  }),
  bound('WorkspaceBinding', 'persistentVolumeClaim', {
    persistentVolumeClaim: { claimName: 'cache', readOnly: false },
  }),
  bound('WorkspaceBinding', 'emptyDir', { emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } }),
  bound('WorkspaceBinding', 'configMap', {
    configMap: { name: 'settings', items: [{ key: 'a', path: 'a.txt', mode: 0o444 }], defaultMode: 0o444 },
  }),
  bound('WorkspaceBinding', 'secret', { secret: { secretName: 'creds', defaultMode: 0o400, optional: true } }),
  bound('WorkspaceBinding', 'projected', projected({ configMap: { name: 'settings' } })),
  bound('WorkspaceBinding', 'csi', { csi: { driver: 'secrets-store.csi.k8s.io' } }),
  {
    type: 'WorkspaceBinding',
    field: 'emptyDir',
    title: 'no source',
    doc: binding({}),
    expect: refused('spec.workspaces[0]', /has no volume source/),
    upstream:
      'expected exactly one, got neither: persistentvolumeclaim, volumeclaimtemplate, emptydir, configmap, secret',
  },
  {
    type: 'WorkspaceBinding',
    field: 'emptyDir',
    title: 'two sources',
    doc: binding({ emptyDir: {}, configMap: { name: 'settings' } }),
    expect: refused('spec.workspaces[0]', /sets emptyDir and configMap; only one source/),
    upstream: 'expected exactly one, got both: persistentvolumeclaim, volumeclaimtemplate, emptydir, configmap, secret',
  },
  {
    type: 'WorkspaceBinding',
    field: 'persistentVolumeClaim',
    title: 'no claimName',
    doc: binding({ persistentVolumeClaim: { claimName: '' } }),
    expect: refused('spec.workspaces[0].persistentVolumeClaim.claimName', /.+/),
    upstream: 'missing field(s): persistentvolumeclaim.claimname',
  },
  {
    type: 'WorkspaceBinding',
    field: 'configMap',
    title: 'no name',
    doc: binding({ configMap: { name: '' } }),
    expect: refused('spec.workspaces[0].configMap.name', /missing field configMap.name/),
    upstream: 'missing field(s): configmap.name',
  },
  {
    type: 'WorkspaceBinding',
    field: 'secret',
    title: 'no secretName',
    doc: binding({ secret: { secretName: '' } }),
    expect: refused('spec.workspaces[0].secret.secretName', /missing field secret.secretName/),
    upstream: 'missing field(s): secret.secretName',
  },
  {
    type: 'WorkspaceBinding',
    field: 'projected',
    title: 'no sources',
    doc: binding({ projected: { sources: [] } }),
    expect: refused('spec.workspaces[0].projected.sources', /missing field projected.sources/),
    upstream: 'missing field(s): projected.sources',
  },
  {
    type: 'WorkspaceBinding',
    field: 'csi',
    title: 'no driver',
    doc: binding({ csi: { driver: '' } }),
    expect: refused('spec.workspaces[0].csi.driver', /missing field csi.driver/),
    upstream: 'missing field(s): csi.driver',
  },

  // ProjectedVolumeSource and VolumeProjection
  bound('ProjectedVolumeSource', 'sources', projected({ secret: { name: 'creds' } })),
  bound('ProjectedVolumeSource', 'defaultMode', {
    projected: { sources: [{ secret: { name: 'creds' } }], defaultMode: 0o440 },
  }),
  bound(
    'VolumeProjection',
    'configMap',
    projected({ configMap: { name: 'settings', items: [{ key: 'a', path: 'a' }] } }),
  ),
  bound('VolumeProjection', 'secret', projected({ secret: { name: 'creds', optional: true } })),
  bound(
    'VolumeProjection',
    'downwardAPI',
    projected({ downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }),
  ),
  bound(
    'VolumeProjection',
    'serviceAccountToken',
    projected({ serviceAccountToken: { path: 'token', audience: 'vault' } }),
  ),
  bound(
    'VolumeProjection',
    'clusterTrustBundle',
    projected({ clusterTrustBundle: { path: 'ca.pem', name: 'corp-ca' } }),
  ),
  {
    type: 'VolumeProjection',
    field: 'configMap',
    title: 'two kinds in one source',
    doc: binding(projected({ configMap: { name: 'settings' }, secret: { name: 'creds' } })),
    expect: refused('spec.workspaces[0].projected.sources[0]', /not configMap and secret: give each its own entry/),
  },

  // CSIVolumeSource
  ...(['driver', 'readOnly', 'fsType', 'volumeAttributes', 'nodePublishSecretRef'] as const).map((field): FieldCase =>
    bound('CSIVolumeSource', field, {
      csi: {
        driver: 'secrets-store.csi.k8s.io',
        readOnly: true,
        fsType: 'ext4',
        volumeAttributes: { secretProviderClass: 'vault' },
        nodePublishSecretRef: { name: 'creds' },
      },
    }),
  ),
];
