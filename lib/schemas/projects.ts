import { z } from 'zod';
import { ZAppProject, ZSyncWindow } from '@/lib/domain/gitops/projects';

/** GET /api/v1/projects */
export const ZProjectList = z.object({ items: z.array(ZAppProject) });

/** POST/PUT /api/v1/projects: what was done, and notes such as sourceNamespaces being ignored. */
export const ZAppliedProject = z.object({
  project: ZAppProject,
  action: z.enum(['created', 'configured', 'unchanged']),
  warnings: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type TAppliedProject = z.infer<typeof ZAppliedProject>;

/** GET /api/v1/projects/{name}/windows: each sync window with whether it is active now. */
export const ZProjectWindows = z.object({ items: z.array(ZSyncWindow.and(z.object({ active: z.boolean() }))) });
export type TProjectWindows = z.infer<typeof ZProjectWindows>;

/** POST /api/v1/projects/{name}/roles/{role}/token: `expiresIn` is a duration (24h, 90m, 7d); none = no expiry. */
export const ZCreateProjectToken = z.strictObject({
  expiresIn: z.string().max(32).optional(),
  /** A note kept with the token (Argo CD's --id). */
  id: z.string().max(100).optional(),
});
export type TCreateProjectToken = z.infer<typeof ZCreateProjectToken>;

export const ZProjectTokenInfo = z.object({
  id: z.string(),
  project: z.string(),
  role: z.string(),
  /** Seconds since the epoch, as Argo CD's jwtTokens iat/exp. */
  iat: z.number().int(),
  exp: z.number().int().nullable(),
  issuedAt: z.string(),
  expiresAt: z.string().nullable(),
  expired: z.boolean(),
});
export type TProjectTokenInfo = z.infer<typeof ZProjectTokenInfo>;

export const ZCreatedProjectToken = ZProjectTokenInfo.extend({
  /** Shown this once; only its hash is kept. */
  token: z.string(),
});
export type TCreatedProjectToken = z.infer<typeof ZCreatedProjectToken>;

export const ZProjectTokenList = z.object({ items: z.array(ZProjectTokenInfo) });
