/** The audit log's filters, pure: time bounds (RFC 3339 or "1h ago") and resource names as the rows spell them. */

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const RELATIVE = /^(\d{1,6})([smhdw])$/;
/** RFC 3339 with a zone (Z or ±hh:mm), optionally fractional seconds; a bare date is midnight UTC. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/i;

/**
 * The same as a JSON Schema pattern (the OpenAPI document's since/until): a relative bound, or RFC 3339 with
 * months, days, hours and minutes in range.
 */
export const TIME_BOUND_PATTERN =
  /^(\d{1,6}[smhdw]|\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?)$/i;

/** Whether `value` is a time the filters accept: `90s`, `15m`, `1h`, `7d`, `2w` (that long ago) or an RFC 3339 time. */
export function isTimeBound(value: string): boolean {
  return RELATIVE.test(value) || (RFC3339.test(value) && !Number.isNaN(Date.parse(value)));
}

/** The instant a time bound names, relative ones counted back from `now`; undefined when it is not one. */
export function timeBound(value: string, now: Date): Date | undefined {
  const rel = RELATIVE.exec(value);
  if (rel) return new Date(now.getTime() - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS]);
  if (!isTimeBound(value)) return undefined;
  return new Date(value);
}

/**
 * Audit rows name their object `<kind>/<name>` and their action `<kind>.<verb>` in the singular
 * (application/web, application.sync); a policy resource is plural (applications). Either is accepted.
 */
const SINGULAR: Record<string, string> = {
  applications: 'application',
  clusters: 'cluster',
  repositories: 'repository',
  projects: 'project',
  accounts: 'account',
  pipelines: 'pipeline',
  pipelineruns: 'pipelinerun',
  taskruns: 'taskrun',
  triggers: 'trigger',
  secrets: 'secret',
  tokens: 'token',
  certificates: 'certificate',
  'webhook-secrets': 'webhook-secret',
};

/**
 * The spellings a resource filter matches in audit rows: the singular kind (`application`) and the plural
 * (`applications`), since some rows name their object `<plural>/<name>` (projects/team-a) as Argo CD does.
 */
export function auditKinds(resource: string): string[] {
  const r = resource.trim().toLowerCase();
  const singular = SINGULAR[r] ?? r;
  const plural = Object.keys(SINGULAR).find((k) => SINGULAR[k] === singular) ?? r;
  return [...new Set([singular, plural])];
}
