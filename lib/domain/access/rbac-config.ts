import { z } from 'zod';
import { BUILTIN_POLICY_CSV } from './builtin-policy';
import { mergePolicies, parsePolicyCsv, type Policy, type PolicyIssue } from './policy-csv';

/**
 * Argo CD's `argocd-rbac-cm` ConfigMap, accepted unchanged:
 *
 *   apiVersion: v1
 *   kind: ConfigMap
 *   metadata: { name: argocd-rbac-cm }
 *   data:
 *     policy.default: role:readonly
 *     policy.csv: |
 *       p, role:org-admin, applications, *, *\/*, allow
 *       g, your-github-org:your-team, role:org-admin
 *     policy.team-a.csv: |          # overlays, appended after policy.csv in key order
 *     scopes: '[groups, email]'
 *     policy.matchMode: glob        # or regex
 */
export const ZRbacConfigMap = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('ConfigMap'),
  metadata: z.looseObject({ name: z.literal('argocd-rbac-cm'), namespace: z.string().optional() }),
  data: z.record(z.string(), z.string()).optional(),
});
export type TRbacConfigMap = z.infer<typeof ZRbacConfigMap>;

export const MATCH_MODES = ['glob', 'regex'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

export interface RbacConfig {
  /** policy.csv followed by every policy.<name>.csv in key order, as Argo CD's PolicyCSV builds it. */
  policyCsv: string;
  /** The parsed user policy (built-in policy not included). */
  policy: Policy;
  /** A role every authenticated subject has, or null. */
  policyDefault: string | null;
  /** The OIDC claims that hold a user's groups. */
  scopes: string[];
  /** Whether the ConfigMap set `scopes` itself (else the default, `[groups]`, or the installation's own default). */
  scopesSet: boolean;
  matchMode: MatchMode;
}

export type RbacConfigResult = { ok: true; config: RbacConfig } | { ok: false; issues: PolicyIssue[] };

const POLICY_KEY = 'policy.csv';
const DEFAULT_SCOPES = ['groups'];

function isOverlayKey(key: string): boolean {
  return key.startsWith('policy.') && key.endsWith('.csv') && key !== POLICY_KEY;
}

/** `[groups, email]`, `groups` or `["groups"]` → ['groups', 'email'] (Argo CD reads it as YAML). */
export function parseScopes(text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return DEFAULT_SCOPES;
  const scopes = text
    .trim()
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((s) => s.trim().replace(/^["']|["']$/g, ''))
    .filter((s) => s !== '');
  return scopes.length > 0 ? scopes : DEFAULT_SCOPES;
}

/** Builds an RbacConfig from a ConfigMap's `data`; every bad line of every policy key is reported. */
export function rbacConfigFromData(data: Record<string, string>): RbacConfigResult {
  const issues: PolicyIssue[] = [];
  const mode = (data['policy.matchMode'] ?? '').trim() || 'glob';
  if (mode !== 'glob' && mode !== 'regex') {
    issues.push({ path: 'data["policy.matchMode"]', message: `must be glob or regex, not "${mode}"` });
  }
  const matchMode: MatchMode = mode === 'regex' ? 'regex' : 'glob';
  const keys = [POLICY_KEY, ...Object.keys(data).filter(isOverlayKey).sort()].filter((k) => data[k] !== undefined);
  const policies = keys.map((key) => {
    const parsed = parsePolicyCsv(data[key], { path: `data["${key}"]`, regex: matchMode === 'regex' });
    issues.push(...parsed.issues);
    return parsed.policy;
  });
  if (issues.length > 0) return { ok: false, issues };
  const policyDefault = (data['policy.default'] ?? '').trim();
  return {
    ok: true,
    config: {
      policyCsv: keys.map((k) => data[k]).join('\n'),
      policy: mergePolicies(...policies),
      policyDefault: policyDefault === '' ? null : policyDefault,
      scopes: parseScopes(data.scopes),
      scopesSet: (data.scopes ?? '').trim() !== '',
      matchMode,
    },
  };
}

/** Parses an `argocd-rbac-cm` document (already read from YAML or JSON). */
export function parseRbacConfigMap(document: unknown): RbacConfigResult {
  const parsed = ZRbacConfigMap.safeParse(document);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.') || '(document)',
        message:
          issue.path.join('.') === 'metadata.name'
            ? 'must be argocd-rbac-cm (the ConfigMap Argo CD reads its RBAC policy from)'
            : issue.message,
      })),
    };
  }
  return rbacConfigFromData(parsed.data.data ?? {});
}

/** A fresh install: SSO users read everything, the local `admin` is role:admin (a built-in g line). */
export function defaultRbacConfig(): RbacConfig {
  const result = rbacConfigFromData({ 'policy.default': 'role:readonly' });
  if (!result.ok) throw new Error('the default RBAC configuration does not parse');
  return result.config;
}

/** The built-in policy, parsed once per call; it is part of the code, so it always parses. */
export function builtinPolicy(): Policy {
  return parsePolicyCsv(BUILTIN_POLICY_CSV, { path: 'builtin-policy.csv' }).policy;
}
