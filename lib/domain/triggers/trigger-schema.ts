import { z } from 'zod';

/**
 * Keelson's trigger resource: a webhook endpoint bound to a Pipeline, simpler than Tekton Triggers'
 * EventListener + TriggerBinding + TriggerTemplate but with the same `$(body.…)`/`$(header.…)` syntax.
 *
 *   apiVersion: keelson.dev/v1alpha1
 *   kind: Trigger
 *   metadata: { name: on-push, namespace: team-a }   # namespace: the project (absent: default)
 *   spec:
 *     serviceAccountName: ci     # a role of the project the deliveries act as (optional)
 *     pipelineRef: { name: build }
 *     provider: github            # or gitlab
 *     secretRef: { name: webhook, key: token }
 *     filter: { events: [push], branches: [main] }
 *     params: [{ name: revision, value: $(body.head_commit.id) }]
 */
export const ZTriggerSpec = z.strictObject({
  pipelineRef: z.strictObject({ name: z.string().min(1) }),
  provider: z.enum(['github', 'gitlab']),
  secretRef: z.strictObject({ name: z.string().min(1), key: z.string().min(1) }),
  filter: z
    .strictObject({
      events: z.array(z.string().min(1)).optional(),
      branches: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  params: z
    .array(z.strictObject({ name: z.string().min(1), value: z.union([z.string(), z.array(z.string())]) }))
    .optional(),
  workspaces: z.array(z.looseObject({ name: z.string().min(1) })).optional(),
  /**
   * The role of the trigger's project its deliveries act as (`proj:<project>:<role>`): its policies decide
   * whether a delivery may start the run. Without it, a delivery may only start runs in the trigger's project.
   */
  serviceAccountName: z.string().min(1).optional(),
});
export type TTriggerSpec = z.infer<typeof ZTriggerSpec>;

/** Strict like the Tekton and core documents: a misspelt field (`filters`, `secretref`) is refused with its path, not dropped. */
export const ZTrigger = z.strictObject({
  apiVersion: z.literal('keelson.dev/v1alpha1'),
  kind: z.literal('Trigger'),
  metadata: z.object({
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label: lowercase letters, digits and -'),
    /** The trigger's project (absent: `default`). */
    namespace: z.string().optional(),
  }),
  spec: ZTriggerSpec,
});
export type TTrigger = z.infer<typeof ZTrigger>;
