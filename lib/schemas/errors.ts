import { z } from 'zod';

export const ZErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    hint: z.string().optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    retryAfterSeconds: z.number().optional(),
    /** A 403 names what was refused (Argo CD's permission denied). */
    denied: z.object({ resource: z.string(), action: z.string(), object: z.string() }).optional(),
  }),
});

export const ZPrincipal = z.object({
  userId: z.string().uuid(),
  username: z.string(),
  name: z.string().nullable(),
  role: z.string(),
  groups: z.array(z.string()),
  via: z.enum(['session', 'token', 'project-token', 'trigger', 'controller']),
});
