import { z } from 'zod';
import { ZPrincipal } from './errors';

/**
 * A local account name: lower-case letters, digits, `.`, `_` and `-` (no `:`, so it can never be mistaken for a
 * policy subject such as `role:admin` or `proj:team:role`).
 */
export const ZAccountName = z
  .string()
  .trim()
  .min(1, 'give the account a name')
  .max(63, 'use at most 63 characters')
  .regex(
    /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/,
    'use lower-case letters, digits, ".", "_" and "-", starting and ending with a letter or digit',
  );

/** The same minimum the admin password has (KEELSON_ADMIN_PASSWORD); bcrypt reads at most 72 bytes. */
export const PASSWORD_MIN_LENGTH = 8;
export const ZPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `use at least ${PASSWORD_MIN_LENGTH} characters`)
  // Never more characters than bytes: this only tells the OpenAPI document (maxLength) what the byte check refuses.
  .max(72, 'use at most 72 bytes')
  .refine((p) => Buffer.byteLength(p, 'utf8') <= 72, 'use at most 72 bytes');

export const ZCreateAccount = z.strictObject({
  name: ZAccountName,
  password: ZPassword,
  /** A display name. */
  displayName: z.string().trim().max(200).optional(),
});
export type TCreateAccount = z.infer<typeof ZCreateAccount>;

/** Your own password needs the current one; an administrator setting another account's does not. */
export const ZUpdatePassword = z.strictObject({
  currentPassword: z.string().min(1, 'enter the current password').max(1000).optional(),
  newPassword: ZPassword,
});
export type TUpdatePassword = z.infer<typeof ZUpdatePassword>;

export const ZAccount = z.object({
  name: z.string(),
  displayName: z.string().nullable(),
  /** 'local', or the SSO provider the account signs in through. */
  source: z.string(),
  groups: z.array(z.string()),
  disabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
  /** API tokens not revoked. */
  tokenCount: z.number().int(),
  /** Roles from the `g` lines of the effective policy (built-in and argocd-rbac-cm), by username or group. */
  roles: z.array(z.string()),
});
export type TAccount = z.infer<typeof ZAccount>;

export const ZAccountList = z.object({
  items: z.array(ZAccount),
  /** `policy.default`: a role every authenticated user has besides the listed ones. */
  defaultRole: z.string().nullable(),
});
export type TAccountList = z.infer<typeof ZAccountList>;

/** GET /api/v1/me: the caller, and the roles the policy gives it (policy.default included). */
export const ZMe = ZPrincipal.extend({ roles: z.array(z.string()) });
export type TMe = z.infer<typeof ZMe>;
