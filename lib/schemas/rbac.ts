import { z } from 'zod';

/** The `argocd-rbac-cm` ConfigMap as Keelson stores and answers it. */
export const ZRbacConfigMapDocument = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('ConfigMap'),
  metadata: z.object({ name: z.literal('argocd-rbac-cm') }),
  data: z.record(z.string(), z.string()),
});
export type TRbacConfigMapDocument = z.infer<typeof ZRbacConfigMapDocument>;

/** GET /api/v1/settings/rbac: the effective ConfigMap (the defaults until one is applied). */
export const ZRbacConfigView = z.object({
  configMap: ZRbacConfigMapDocument,
  /** The same ConfigMap as YAML, ready to edit and apply. */
  yaml: z.string(),
  /** False while the defaults hold (nothing applied yet). */
  applied: z.boolean(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  /** Roles a group can be mapped to: the built-in ones and every `role:` the policy names. */
  roles: z.array(z.string()),
  /** The built-in policy (role:admin, role:readonly), always in force under the applied one. */
  builtinPolicy: z.string(),
});
export type TRbacConfigView = z.infer<typeof ZRbacConfigView>;

export const ZAppliedRbacConfig = z.object({
  action: z.enum(['configured', 'unchanged']),
  configMap: ZRbacConfigMapDocument,
});
export type TAppliedRbacConfig = z.infer<typeof ZAppliedRbacConfig>;
