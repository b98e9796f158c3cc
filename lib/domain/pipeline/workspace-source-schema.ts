import { z } from 'zod';

/** Stored shapes of a plan's files and workspace sources (task-run-plan.ts), shared by stored-schemas and childOf. */
export const ZSecretKeyRef = z.object({ secret: z.string(), key: z.string() });

export const ZVolumeFilePlan = z.object({
  path: z.string(),
  value: z.string().optional(),
  base64: z.string().optional(),
  secret: ZSecretKeyRef.optional(),
});

const ZObject = z.record(z.string(), z.unknown());

export const ZWorkspaceSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('emptyDir'), medium: z.string().optional() }),
  z.object({ kind: z.literal('persistentVolumeClaim'), claimName: z.string(), claimSpec: ZObject.optional() }),
  z.object({ kind: z.literal('volumeClaimTemplate'), claimName: z.string(), template: ZObject }),
  z.object({ kind: z.literal('files'), files: z.array(ZVolumeFilePlan) }),
  z.object({ kind: z.literal('csi'), csi: ZObject }),
  z.object({
    kind: z.literal('projected'),
    files: z.array(ZVolumeFilePlan),
    sources: z.array(ZObject),
    defaultMode: z.number().int().optional(),
  }),
]);
