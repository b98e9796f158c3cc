import { z } from 'zod';

export const ZCreateTokenInput = z.object({
  name: z.string().trim().min(1, 'give the token a name').max(100, 'use at most 100 characters'),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type TCreateTokenInput = z.infer<typeof ZCreateTokenInput>;

export const ZApiToken = z.object({
  id: z.string().uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type TApiToken = z.infer<typeof ZApiToken>;

export const ZCreatedToken = ZApiToken.extend({ token: z.string() });
export type TCreatedToken = z.infer<typeof ZCreatedToken>;

export const ZPasswordLogin = z.object({
  username: z.string().min(1, 'enter a username'),
  password: z.string().min(1, 'enter a password'),
  tokenName: z.string().trim().min(1).max(100).optional(),
});
export type TPasswordLogin = z.infer<typeof ZPasswordLogin>;
