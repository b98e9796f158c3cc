/**
 * Argo CD's AppProject (`argoproj.io/v1alpha1`, pkg/apis/application/v1alpha1 AppProjectSpec) accepted unchanged.
 * Objects are strict: a misspelt field is refused with its path rather than dropped. Pure: no I/O.
 */
import { z } from 'zod';
import { validateProjectSpec } from './validate-project';
import { validateRolePolicies } from './role-policies';
import { isKnownTimeZone, parseCronSchedule, parseGoDuration } from './sync-window-time';

const strings = z.array(z.string());

/** metav1.GroupKind; cluster lists may also name one resource (Argo CD 3.1 ClusterResourceRestrictionItem). */
export const ZGroupKind = z.strictObject({
  group: z.string().default(''),
  kind: z.string(),
  name: z.string().optional(),
});
export type TGroupKind = z.infer<typeof ZGroupKind>;

export const ZProjectDestination = z.strictObject({
  server: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
});
export type TProjectDestination = z.infer<typeof ZProjectDestination>;

export const ZJwtToken = z.strictObject({
  iat: z.number().int(),
  exp: z.number().int().optional(),
  id: z.string().optional(),
});

export const ZProjectRole = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Casbin `p, proj:<project>:<role>, <resource>, <action>, <object>, <effect>` lines. */
  policies: strings.optional(),
  jwtTokens: z.array(ZJwtToken).optional(),
  /** OIDC groups bound to the role. */
  groups: strings.optional(),
});
export type TProjectRole = z.infer<typeof ZProjectRole>;

export const ZSyncWindow = z.strictObject({
  kind: z.enum(['allow', 'deny']),
  schedule: z.string().refine((s) => parseCronSchedule(s) !== null, 'a five-field cron schedule, e.g. "10 1 * * *"'),
  duration: z.string().refine((s) => parseGoDuration(s) !== undefined, 'a duration such as 1h, 30m or 1h30m'),
  applications: strings.optional(),
  namespaces: strings.optional(),
  clusters: strings.optional(),
  manualSync: z.boolean().optional(),
  timeZone: z.string().refine(isKnownTimeZone, 'an IANA time zone, e.g. Europe/Paris').optional(),
  /** All of applications/namespaces/clusters that are given must match (Argo CD 2.11+). */
  andOperator: z.boolean().optional(),
  description: z.string().optional(),
});
export type TSyncWindow = z.infer<typeof ZSyncWindow>;

export const ZAppProjectSpec = z
  .strictObject({
    description: z.string().optional(),
    sourceRepos: strings.optional(),
    destinations: z.array(ZProjectDestination).optional(),
    /**
     * Namespaces Applications of this project may live in (Argo CD's apps-in-any-namespace). Keelson stores
     * Applications in one place, so it accepts the field for compatibility and ignores it.
     */
    sourceNamespaces: strings.optional(),
    clusterResourceWhitelist: z.array(ZGroupKind).optional(),
    clusterResourceBlacklist: z.array(ZGroupKind).optional(),
    namespaceResourceWhitelist: z.array(ZGroupKind).optional(),
    namespaceResourceBlacklist: z.array(ZGroupKind).optional(),
    roles: z.array(ZProjectRole).optional(),
    syncWindows: z.array(ZSyncWindow).optional(),
    orphanedResources: z
      .strictObject({
        warn: z.boolean().optional(),
        ignore: z
          .array(
            z.strictObject({ group: z.string().optional(), kind: z.string().optional(), name: z.string().optional() }),
          )
          .optional(),
      })
      .optional(),
    signatureKeys: z.array(z.strictObject({ keyID: z.string() })).optional(),
    permitOnlyProjectScopedClusters: z.boolean().optional(),
    destinationServiceAccounts: z
      .array(
        z.strictObject({
          server: z.string(),
          namespace: z.string().optional(),
          defaultServiceAccount: z.string(),
        }),
      )
      .optional(),
  })
  .superRefine((spec, ctx) => {
    for (const issue of validateProjectSpec(spec)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type TAppProjectSpec = z.infer<typeof ZAppProjectSpec>;

export const ZAppProject = z
  .strictObject({
    apiVersion: z.literal('argoproj.io/v1alpha1'),
    kind: z.literal('AppProject'),
    // Kubernetes ObjectMeta has many server-written fields (uid, resourceVersion …): kept, not checked.
    metadata: z.looseObject({
      name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a DNS-1123 name'),
      namespace: z.string().optional(),
      labels: z.record(z.string(), z.string()).optional(),
      annotations: z.record(z.string(), z.string()).optional(),
      finalizers: strings.optional(),
    }),
    spec: ZAppProjectSpec,
    status: z
      .strictObject({
        jwtTokensByRole: z.record(z.string(), z.strictObject({ items: z.array(ZJwtToken).optional() })).optional(),
      })
      .optional(),
  })
  .superRefine((project, ctx) => {
    for (const issue of validateRolePolicies(project.metadata.name, project.spec.roles)) {
      ctx.addIssue({ code: 'custom', ...issue });
    }
  });
export type TAppProject = z.infer<typeof ZAppProject>;

export const DEFAULT_PROJECT = 'default';

/** The `default` project as Argo CD creates it: any repo, any destination, every resource kind. */
export function defaultProject(): TAppProject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: DEFAULT_PROJECT },
    spec: {
      sourceRepos: ['*'],
      destinations: [{ server: '*', name: '*', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  };
}
