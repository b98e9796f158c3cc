/** Path parameters shared by the contracts: what a {name} in a path may be. */
import { z } from 'zod';
import { GIT_PROVIDERS } from '../applications';

/** A Kubernetes-style object name (DNS-1123 subdomain, at most 253): pipelines, runs, triggers, projects… */
export const ZObjectName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-zA-Z0-9]([-a-zA-Z0-9._]*[a-zA-Z0-9])?$/, 'letters, digits, "-", "." and "_"');

/** An Application's or a cluster's name: a DNS-1123 label. */
export const ZLabelName = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'use lowercase letters, digits and - (a DNS-1123 label)');

/** An account: local (ZAccountName) or an SSO user's name. */
export const ZAccountParam = z.string().min(1).max(200);

export const nameParam = z.object({ name: ZObjectName });
export const appParam = z.object({ name: ZLabelName });
export const providerParam = z.object({ provider: z.enum(GIT_PROVIDERS) });
export const tokenIdParam = z.object({ id: z.uuid({ error: 'not a token id: use an id from GET /api/v1/tokens' }) });
