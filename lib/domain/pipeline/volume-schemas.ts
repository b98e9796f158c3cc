import { z } from 'zod';
import { DNS_LABEL } from './param-schemas';
import { templateVolumeMountPathProblem } from './volume-mount-paths';
import { subPathMessage, templateSubPathProblem } from './workspace-paths';

/**
 * A Task's `volumes` and a step's `volumeMounts`, field by field as Kubernetes' core/v1 Volume and
 * VolumeMount. The local executor provides emptyDir, configMap, secret and projected (of ConfigMaps
 * and Secrets) volumes the way it provides workspaces; every other source upstream knows is accepted
 * and fails the TaskRun there with VolumeSourceUnsupported (a Kubernetes executor provides them),
 * except hostPath, which is refused: no document may mount a folder of the worker.
 */

const mode = z.number().int().min(0).max(0o777).optional();
const keyToPath = z.strictObject({
  key: z.string().min(1),
  path: z
    .string()
    .min(1)
    .superRefine((v, ctx) => {
      const problem = templateSubPathProblem(v);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: subPathMessage('items path', v, problem).replace('inside the workspace', 'inside the volume'),
        });
    }),
  mode,
});
const items = z.array(keyToPath).optional();

const configMapSource = z.strictObject({
  name: z.string().min(1),
  items,
  defaultMode: mode,
  optional: z.boolean().optional(),
});
const secretSource = z.strictObject({
  secretName: z.string().min(1),
  items,
  defaultMode: mode,
  optional: z.boolean().optional(),
});
const projectedConfigMap = z.strictObject({ name: z.string().min(1), items, optional: z.boolean().optional() });
const projectedSecret = z.strictObject({ name: z.string().min(1), items, optional: z.boolean().optional() });
const objectFieldSelector = z.strictObject({ apiVersion: z.string().optional(), fieldPath: z.string().min(1) });
const resourceFieldSelector = z.strictObject({
  containerName: z.string().optional(),
  resource: z.string().min(1),
  divisor: z.union([z.string(), z.number()]).optional(),
});
const downwardAPIFile = z.strictObject({
  path: z.string().min(1),
  fieldRef: objectFieldSelector.optional(),
  resourceFieldRef: resourceFieldSelector.optional(),
  mode,
});
const downwardAPISource = z.strictObject({ items: z.array(downwardAPIFile).optional(), defaultMode: mode });

/** One source of a projected volume (a Task volume or a workspace binding): exactly one of its kinds. */
export const ZVolumeProjection = z
  .strictObject({
    configMap: projectedConfigMap.optional(),
    secret: projectedSecret.optional(),
    downwardAPI: z.strictObject({ items: z.array(downwardAPIFile).optional() }).optional(),
    serviceAccountToken: z
      .strictObject({
        audience: z.string().optional(),
        expirationSeconds: z.number().int().optional(),
        path: z.string().min(1),
      })
      .optional(),
    clusterTrustBundle: z.looseObject({ path: z.string().min(1) }).optional(),
  })
  .superRefine((p, ctx) => {
    const set = Object.entries(p).filter(([, v]) => v !== undefined);
    if (set.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          set.length === 0
            ? 'a projected source needs one of configMap, secret, downwardAPI, serviceAccountToken or clusterTrustBundle'
            : `a projected source takes one of configMap, secret, downwardAPI, serviceAccountToken or clusterTrustBundle, not ${set.map(([k]) => k).join(' and ')}: give each its own entry in sources`,
      });
  });
export type TVolumeProjection = z.infer<typeof ZVolumeProjection>;

/** Sources upstream accepts that only a Kubernetes executor provides: typed loosely, they fail at run on the local executor. */
export const CLUSTER_ONLY_SOURCES = [
  'persistentVolumeClaim',
  'csi',
  'ephemeral',
  'downwardAPI',
  'image',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
] as const;
/** Accepted as upstream writes it, not looked into: the local executor fails a TaskRun that uses one. */
const clusterOnly = z.looseObject({}).optional();
const LOCAL_SOURCES = ['emptyDir', 'configMap', 'secret', 'projected'] as const;

const HOST_PATH_HINT =
  'hostPath volumes are refused: a document may never mount a folder of the worker. Use an emptyDir volume, or a workspace bound to a persistentVolumeClaim';

export const ZVolume = z
  .strictObject({
    name: z.string().regex(DNS_LABEL, 'volume names are lowercase letters, digits and "-" (a DNS-1123 label)'),
    emptyDir: z
      .strictObject({ medium: z.string().optional(), sizeLimit: z.union([z.string(), z.number()]).optional() })
      .optional(),
    configMap: configMapSource.optional(),
    secret: secretSource.optional(),
    projected: z.strictObject({ sources: z.array(ZVolumeProjection).optional(), defaultMode: mode }).optional(),
    persistentVolumeClaim: z
      .strictObject({ claimName: z.string().min(1), readOnly: z.boolean().optional() })
      .optional(),
    csi: z
      .strictObject({
        driver: z.string().min(1),
        readOnly: z.boolean().optional(),
        fsType: z.string().optional(),
        volumeAttributes: z.record(z.string(), z.string()).optional(),
        nodePublishSecretRef: z.strictObject({ name: z.string().optional() }).optional(),
      })
      .optional(),
    downwardAPI: downwardAPISource.optional(),
    hostPath: z
      .unknown()
      .refine((v) => v === undefined, { message: HOST_PATH_HINT })
      .optional(),
    ephemeral: clusterOnly,
    image: clusterOnly,
    gcePersistentDisk: clusterOnly,
    awsElasticBlockStore: clusterOnly,
    gitRepo: clusterOnly,
    nfs: clusterOnly,
    iscsi: clusterOnly,
    glusterfs: clusterOnly,
    rbd: clusterOnly,
    flexVolume: clusterOnly,
    cinder: clusterOnly,
    cephfs: clusterOnly,
    flocker: clusterOnly,
    fc: clusterOnly,
    azureFile: clusterOnly,
    vsphereVolume: clusterOnly,
    quobyte: clusterOnly,
    azureDisk: clusterOnly,
    photonPersistentDisk: clusterOnly,
    portworxVolume: clusterOnly,
    scaleIO: clusterOnly,
    storageos: clusterOnly,
  })
  .superRefine((v, ctx) => {
    const record = v as Record<string, unknown>;
    const sources = [...LOCAL_SOURCES, ...CLUSTER_ONLY_SOURCES, 'hostPath'].filter((k) => record[k] !== undefined);
    // None is an emptyDir: Kubernetes' API defaulting gives a volume without a source `emptyDir: {}`.
    if (sources.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `volume "${v.name}" sets ${sources.join(' and ')}; a volume has exactly one source`,
      });
  });
export type TVolume = z.infer<typeof ZVolume>;

/** A mountPath that may hold `$(…)` references: each counts as a plain name until it is substituted (checked again then). */
const ZVolumeMountPath = z.string().superRefine((v, ctx) => {
  const problem = templateVolumeMountPathProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: `mountPath ${JSON.stringify(v)} ${problem}` });
});

export const ZVolumeMount = z.strictObject({
  name: z.string().min(1),
  mountPath: ZVolumeMountPath,
  subPath: z
    .string()
    .superRefine((v, ctx) => {
      const problem = templateSubPathProblem(v);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: subPathMessage('subPath', v, problem).replace('inside the workspace', 'inside the volume'),
        });
    })
    .optional(),
  subPathExpr: z.string().optional(),
  readOnly: z.boolean().optional(),
  recursiveReadOnly: z.enum(['Disabled', 'IfPossible', 'Enabled']).optional(),
  mountPropagation: z.enum(['None', 'HostToContainer', 'Bidirectional']).optional(),
});
export type TVolumeMount = z.infer<typeof ZVolumeMount>;

/** Which source a volume uses (the schema allows at most one); none is an emptyDir, as Kubernetes defaults it. */
export function volumeSource(v: TVolume): string {
  const record = v as Record<string, unknown>;
  return [...LOCAL_SOURCES, ...CLUSTER_ONLY_SOURCES].find((k) => record[k] !== undefined) ?? 'emptyDir';
}

/** The ConfigMaps and Secrets a Task's volumes name, for loading them with the run. */
export function volumeCompanionNames(volumes: readonly TVolume[] | undefined): {
  configMaps: string[];
  secrets: string[];
} {
  const configMaps: string[] = [];
  const secrets: string[] = [];
  for (const v of volumes ?? []) {
    if (v.configMap) configMaps.push(v.configMap.name);
    if (v.secret) secrets.push(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap) configMaps.push(s.configMap.name);
      if (s.secret) secrets.push(s.secret.name);
    }
  }
  return { configMaps, secrets };
}

/** Tekton's StepOutputConfig: where the step's stdout (or stderr) is also written. */
export const ZStepOutputConfig = z.strictObject({
  path: z
    .string()
    .refine((v) => !v.includes('\0'), { message: 'path contains a NUL byte: give a path such as $(results.out.path)' })
    .optional(),
});
