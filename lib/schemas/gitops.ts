import { z } from 'zod';
import { GIT_PROVIDERS } from './applications';

export const ZAddRepository = z.object({
  url: z.string().min(1, 'give the repository URL'),
  username: z.string().min(1).optional(),
  /** HTTPS password or access token. */
  password: z.string().min(1).optional(),
  sshPrivateKey: z.string().min(1).optional(),
});
export type TAddRepository = z.infer<typeof ZAddRepository>;

export const ZAddCluster = z.object({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'use lowercase letters, digits and -'),
  /** Either a kubeconfig (its content) with an optional context, or a server with a token. */
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).optional(),
  server: z.string().url().optional(),
  token: z.string().min(1).optional(),
  caData: z.string().min(1).optional(),
  insecure: z.boolean().optional(),
});
export type TAddCluster = z.infer<typeof ZAddCluster>;

/** GET /api/v1/repositories, /clusters and /settings/webhooks as the settings pages read them. */
export const ZRepository = z.object({
  id: z.string(),
  url: z.string(),
  hasCredentials: z.boolean(),
  createdAt: z.string(),
});
export type TRepository = z.infer<typeof ZRepository>;

export const ZCluster = z.object({
  id: z.string(),
  name: z.string(),
  server: z.string().nullable(),
  serverVersion: z.string().nullable(),
  createdAt: z.string(),
});
export type TCluster = z.infer<typeof ZCluster>;

export const ZWebhookSecret = z.object({
  provider: z.enum(GIT_PROVIDERS),
  configured: z.boolean(),
  updatedAt: z.string().nullish(),
});
export type TWebhookSecret = z.infer<typeof ZWebhookSecret>;
