/**
 * The `source` of an Argo CD Application (`argoproj.io/v1alpha1`): directory, Kustomize and Helm
 * options in Argo CD's field names.
 */
import { z } from 'zod';

/*
 * Objects are strict: a field Keelson does not know is refused with its path rather than dropped,
 * so an Argo CD document never quietly means less here than it does in Argo CD. Fields that only
 * matter to Argo CD's own machinery (e.g. helm.passCredentials, kustomize.version) are accepted.
 */

const NO_JSONNET = 'jsonnet is not supported: remove directory.jsonnet or render the jsonnet in CI and commit YAML';

/** Argo CD writes `jsonnet: {}` into exported documents; only an empty one can be honoured. */
const ZEmptyJsonnet = z.strictObject({
  extVars: z.array(z.unknown()).max(0, NO_JSONNET).optional(),
  tlas: z.array(z.unknown()).max(0, NO_JSONNET).optional(),
  libs: z.array(z.unknown()).max(0, NO_JSONNET).optional(),
});

export const ZDirectorySource = z.strictObject({
  recurse: z.boolean().optional(),
  include: z.string().optional(),
  exclude: z.string().optional(),
  jsonnet: ZEmptyJsonnet.optional(),
});

const ZKustomizePatch = z.strictObject({
  patch: z.string().optional(),
  path: z.string().optional(),
  target: z
    .strictObject({
      group: z.string().optional(),
      version: z.string().optional(),
      kind: z.string().optional(),
      name: z.string().optional(),
      namespace: z.string().optional(),
      labelSelector: z.string().optional(),
      annotationSelector: z.string().optional(),
    })
    .optional(),
  options: z.record(z.string(), z.boolean()).optional(),
});

export const ZKustomizeSource = z.strictObject({
  namePrefix: z.string().optional(),
  nameSuffix: z.string().optional(),
  images: z.array(z.string()).optional(),
  commonLabels: z.record(z.string(), z.string()).optional(),
  commonAnnotations: z.record(z.string(), z.string()).optional(),
  namespace: z.string().optional(),
  /** `kustomize edit` flags in Argo CD; an overlay always sets them, so they change nothing here. */
  forceCommonLabels: z.boolean().optional(),
  forceCommonAnnotations: z.boolean().optional(),
  /** Labels only on metadata, not on selectors (and, with labelIncludeTemplates, on pod templates). */
  labelWithoutSelector: z.boolean().optional(),
  labelIncludeTemplates: z.boolean().optional(),
  replicas: z
    .array(
      z.strictObject({ name: z.string().min(1), count: z.union([z.number().int().min(0), z.string().regex(/^\d+$/)]) }),
    )
    .optional(),
  patches: z.array(ZKustomizePatch).optional(),
  components: z.array(z.string().min(1)).optional(),
  ignoreMissingComponents: z.boolean().optional(),
  /** The kustomize version Argo CD should pick; Keelson has one kustomize. */
  version: z.string().optional(),
});

export const ZHelmSource = z.strictObject({
  valueFiles: z.array(z.string()).optional(),
  /** Inline values as YAML text (Argo CD `values`); `valuesObject` is accepted and turned into text. */
  values: z.string().optional(),
  valuesObject: z.record(z.string(), z.unknown()).optional(),
  parameters: z
    .array(z.strictObject({ name: z.string().min(1), value: z.string(), forceString: z.boolean().optional() }))
    .optional(),
  /** `--set-file name=path`, the path inside the repository. */
  fileParameters: z.array(z.strictObject({ name: z.string().min(1), path: z.string().min(1) })).optional(),
  releaseName: z.string().optional(),
  /** Overrides the namespace helm renders for (default: the destination namespace). */
  namespace: z.string().optional(),
  ignoreMissingValueFiles: z.boolean().optional(),
  skipCrds: z.boolean().optional(),
  skipSchemaValidation: z.boolean().optional(),
  skipTests: z.boolean().optional(),
  kubeVersion: z.string().optional(),
  apiVersions: z.array(z.string()).optional(),
  version: z.literal('v3', { message: 'only Helm 3 (version: v3) is supported' }).optional(),
  /** For chart repositories, which Keelson does not use: accepted, no effect. */
  passCredentials: z.boolean().optional(),
});

export const ZApplicationSource = z.strictObject({
  repoURL: z.string().min(1, 'give the Git repository URL'),
  targetRevision: z.string().default('HEAD'),
  path: z.string().default(''),
  directory: ZDirectorySource.optional(),
  kustomize: ZKustomizeSource.optional(),
  helm: ZHelmSource.optional(),
  /** A display name for the source (Argo CD 2.14+): accepted. */
  name: z.string().optional(),
});
