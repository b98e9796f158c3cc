import { z } from 'zod';
import { isTimeBound } from '@/lib/domain/audit/audit-filter';
import { TIME_BOUND_PATTERN } from '@/lib/domain/audit/audit-filter';
import { AUDIT_RESULTS, AUDIT_VIAS } from '@/lib/domain/audit/vias';

const timeBound = z
  .string()
  .trim()
  .regex(
    TIME_BOUND_PATTERN,
    'must be an RFC 3339 time (2026-01-31T12:00:00Z) or a duration back from now (30m, 1h, 7d)',
  )
  .refine(isTimeBound, 'must be an RFC 3339 time (2026-01-31T12:00:00Z) or a duration back from now (30m, 1h, 7d)');

/** GET /api/v1/audit's query: every filter optional, newest first, paged on the server. */
export const ZAuditQuery = z.object({
  /** The actor, exactly: a username, `proj:<project>:<role>`, `automated` or `system`. */
  user: z.string().trim().min(1).max(200).optional(),
  /** A kind (`application` or `applications`): the object is `<kind>/…` or the action `<kind>.…`. */
  resource: z.string().trim().min(1).max(100).optional(),
  /** An action (`application.sync`), its prefix (`application`) or its verb (`sync`). */
  action: z.string().trim().min(1).max(100).optional(),
  /** Substring of the object (`application/web`), case-insensitive. */
  object: z.string().trim().min(1).max(300).optional(),
  result: z.enum(AUDIT_RESULTS).optional(),
  via: z.enum(AUDIT_VIAS).optional(),
  since: timeBound.optional(),
  until: timeBound.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

/** One audit row as the API answers it. `details.diff` is an RFC 6902 JSON Patch for spec changes. */
export const ZAuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  via: z.enum(AUDIT_VIAS).nullable(),
  action: z.string(),
  target: z.string().nullable(),
  result: z.enum(AUDIT_RESULTS),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type TAuditEntry = z.infer<typeof ZAuditEntry>;

export const ZAuditList = z.object({
  items: z.array(ZAuditEntry),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type TAuditList = z.infer<typeof ZAuditList>;
