import { baseAction, isAction, isResource } from './vocabulary';

/** `p, subject, resource, action, object, effect` */
export interface PolicyRule {
  subject: string;
  resource: string;
  action: string;
  object: string;
  effect: 'allow' | 'deny';
}

/** `g, subject, role`: a user or group gets a role, or a role inherits another. */
export interface RoleLink {
  subject: string;
  role: string;
}

export interface Policy {
  rules: PolicyRule[];
  links: RoleLink[];
}

export interface PolicyIssue {
  path: string;
  message: string;
}

export interface PolicyCsvOptions {
  /** The field the CSV came from, named in issues: `data["policy.csv"]`. */
  path: string;
  /** Regex match mode: resources and actions are regular expressions, not names; skip the vocabulary check. */
  regex?: boolean;
}

/** Splits one CSV record as Go's encoding/csv with TrimLeadingSpace does (Argo CD's loadPolicyLine). */
export function splitPolicyLine(line: string): string[] | null {
  const tokens: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    let token = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return null;
        if (line[i] === '"' && line[i + 1] === '"') {
          token += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else token += line[i++];
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',') return null;
    } else {
      const comma = line.indexOf(',', i);
      token = (comma < 0 ? line.slice(i) : line.slice(i, comma)).trim();
      i = comma < 0 ? line.length : comma;
    }
    tokens.push(token);
    if (i >= line.length) return tokens;
    i++;
  }
}

function checkRule(tokens: string[], regex: boolean): string | null {
  if (tokens.length !== 6) {
    return `a p line has 5 fields after "p" (subject, resource, action, object, effect); this one has ${tokens.length - 1}`;
  }
  const [, subject, resource, action, object, effect] = tokens;
  if (!subject || !resource || !action || !object) return 'subject, resource, action and object must not be empty';
  if (effect !== 'allow' && effect !== 'deny') return `the effect must be allow or deny, not "${effect}"`;
  if (regex) return null;
  if (!/[*?[{]/.test(resource) && !isResource(resource)) return `unknown resource "${resource}"`;
  const base = baseAction(action);
  if (!/[*?[{]/.test(base) && !isAction(base)) return `unknown action "${action}"`;
  return null;
}

/**
 * Parses an Argo CD policy CSV into rules and role links, or the issues of every bad line (with its line
 * number). Blank lines and `#` comments are skipped, as upstream does.
 */
export function parsePolicyCsv(csv: string, options: PolicyCsvOptions): { policy: Policy; issues: PolicyIssue[] } {
  const policy: Policy = { rules: [], links: [] };
  const issues: PolicyIssue[] = [];
  csv.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${options.path} line ${index + 1}`;
    const tokens = splitPolicyLine(line);
    let problem: string | null = null;
    if (tokens === null) problem = 'unbalanced quotes';
    else if (tokens[0] === 'p') problem = checkRule(tokens, options.regex ?? false);
    else if (tokens[0] === 'g') {
      problem = tokens.length === 3 && tokens[1] && tokens[2] ? null : 'a g line is "g, subject, role"';
    } else problem = 'a policy line starts with "p," (a permission) or "g," (a role assignment)';
    if (problem !== null || tokens === null) {
      issues.push({ path: where, message: `${problem}: ${line}` });
      return;
    }
    if (tokens[0] === 'g') policy.links.push({ subject: tokens[1], role: tokens[2] });
    else {
      const [, subject, resource, action, object, effect] = tokens;
      policy.rules.push({ subject, resource, action, object, effect: effect === 'deny' ? 'deny' : 'allow' });
    }
  });
  return { policy, issues };
}

/** Checks one policy line (e.g. from an AppProject role); null when it is valid. */
export function validatePolicyLine(line: string, options: Omit<PolicyCsvOptions, 'path'> = {}): string | null {
  const { issues } = parsePolicyCsv(line, { ...options, path: 'policy' });
  return issues[0]?.message ?? null;
}

export function mergePolicies(...policies: Policy[]): Policy {
  return { rules: policies.flatMap((p) => p.rules), links: policies.flatMap((p) => p.links) };
}
