import { newEnforcer, newModelFromString, type Enforcer } from 'casbin';
import { globMatch } from '@/lib/domain/gitops/projects/glob';
import { mergePolicies, type Policy } from '@/lib/domain/access/policy-csv';
import { builtinPolicy, type MatchMode, type RbacConfig } from '@/lib/domain/access/rbac-config';
import type { PolicyEngine, ProjectPolicy } from '@/lib/server/access/ports';
import { ARGO_CD_MODEL_CONF } from './model';

/**
 * Regex mode as casbin's RegexMatchFunc (Go) does it: the policy field is a regular expression searched in
 * the request value, unanchored. A pattern that does not compile matches nothing.
 */
function regexMatch(value: string, pattern: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return false;
  }
}

function matcherFor(mode: MatchMode): (value: string, pattern: string) => boolean {
  return mode === 'regex' ? regexMatch : (value, pattern) => globMatch(pattern, value);
}

/**
 * In regex mode upstream matches the built-in policy's globs (`*`, `*\/*`, `action/*`) as regular expressions,
 * which do not compile, so role:admin and role:readonly grant nothing (argoproj/argo-cd#13127, open). Keelson
 * rewrites those globs as the anchored expressions they mean, so the built-in roles keep working.
 */
function builtinAsRegex(policy: Policy): Policy {
  const toRegex = (glob: string) => `^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`;
  return {
    rules: policy.rules.map((r) => ({
      ...r,
      resource: toRegex(r.resource),
      action: toRegex(r.action),
      object: toRegex(r.object),
    })),
    links: policy.links,
  };
}

function unique(rows: string[][]): string[][] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = JSON.stringify(row);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function buildEnforcer(policy: Policy, mode: MatchMode): Promise<Enforcer> {
  const enforcer = await newEnforcer(newModelFromString(ARGO_CD_MODEL_CONF));
  const match = matcherFor(mode);
  enforcer.addFunction('globOrRegexMatch', (value: unknown, pattern: unknown) =>
    typeof value === 'string' && typeof pattern === 'string' ? match(value, pattern) : false,
  );
  const rules = unique(policy.rules.map((r) => [r.subject, r.resource, r.action, r.object, r.effect]));
  const links = unique(policy.links.map((l) => [l.subject, l.role]));
  if (rules.length > 0) await enforcer.addPolicies(rules);
  if (links.length > 0) await enforcer.addGroupingPolicies(links);
  return enforcer;
}

/** An enforcer with the distinct object patterns of its policy and the decisions it has made. */
interface Compiled {
  policy: Policy;
  mode: MatchMode;
  enforcer: Enforcer;
  objectPatterns: string[];
  decisions: Map<string, boolean>;
  bySubject: Map<string, Promise<Enforcer>>;
}

const MAX_DECISIONS = 50_000;
const MAX_SUBJECTS = 1_000;

async function compile(policy: Policy, mode: MatchMode): Promise<Compiled> {
  const objectPatterns = [...new Set(policy.rules.map((r) => r.object))];
  const enforcer = await buildEnforcer(policy, mode);
  return { policy, mode, enforcer, objectPatterns, decisions: new Map(), bySubject: new Map() };
}

/**
 * The same model over only the lines that can match `subject`: its own and those of the roles it has (casbin's
 * implicit roles, through the same role manager), with the links among them. g(subject, p.sub) is false for every
 * line left out, so each decision is the one the whole policy gives, at the cost of a few lines instead of all.
 */
function enforcerForSubject(c: Compiled, subject: string): Promise<Enforcer> {
  const cached = c.bySubject.get(subject);
  if (cached) return cached;
  const built = (async () => {
    const reach = new Set([subject, ...(await c.enforcer.getImplicitRolesForUser(subject))]);
    const policy: Policy = {
      rules: c.policy.rules.filter((r) => reach.has(r.subject)),
      links: c.policy.links.filter((l) => reach.has(l.subject)),
    };
    return buildEnforcer(policy, c.mode);
  })();
  if (c.bySubject.size >= MAX_SUBJECTS) c.bySubject.clear();
  c.bySubject.set(subject, built);
  return built;
}

/**
 * With subject, resource and action fixed, the model's decision depends on the object only through which
 * policy lines' object patterns match it. That set (a bit string over the policy's distinct object patterns) is
 * the memo key, so a list of ten thousand apps costs casbin one enforce per distinct outcome, not per app.
 * Every decision is still casbin's own: the first object with a given signature is enforced for real.
 */
function signatureOf(c: Compiled, match: (value: string, pattern: string) => boolean, object: string): string {
  let signature = '';
  for (const pattern of c.objectPatterns) signature += match(object, pattern) ? '1' : '0';
  return signature;
}

async function enforceForReal(
  c: Compiled,
  key: string,
  [subject, resource, action, object]: [string, string, string, string],
): Promise<boolean> {
  const allowed = await (await enforcerForSubject(c, subject)).enforce(subject, resource, action, object);
  if (c.decisions.size >= MAX_DECISIONS) c.decisions.clear();
  c.decisions.set(key, allowed);
  return allowed;
}

/** Any candidate subject allowed; only a decision not met before awaits casbin. */
async function decideAny(
  c: Compiled,
  match: (value: string, pattern: string) => boolean,
  candidates: readonly string[],
  resource: string,
  action: string,
  object: string,
): Promise<boolean> {
  const signature = signatureOf(c, match, object);
  for (const subject of candidates) {
    const key = `${subject}\u0000${resource}\u0000${action}\u0000${signature}`;
    const allowed = c.decisions.get(key) ?? (await enforceForReal(c, key, [subject, resource, action, object]));
    if (allowed) return true;
  }
  return false;
}

/**
 * A PolicyEngine over Argo CD's model, the built-in policy and an RbacConfig. Like Argo CD's enforce(), the
 * default role is tried first, then each subject on its own; any one allowed subject grants access. A project
 * policy gets its own enforcer (built-in + user + project lines), cached per project while its lines are the same.
 */
export async function createCasbinPolicyEngine(config: RbacConfig): Promise<PolicyEngine> {
  const builtin = config.matchMode === 'regex' ? builtinAsRegex(builtinPolicy()) : builtinPolicy();
  const base = mergePolicies(builtin, config.policy);
  const baseCompiled = await compile(base, config.matchMode);
  const match = matcherFor(config.matchMode);
  const projects = new Map<string, { key: string; compiled: Promise<Compiled> }>();
  const compiledFor = (project: ProjectPolicy | undefined): Promise<Compiled> => {
    if (!project || (project.policy.rules.length === 0 && project.policy.links.length === 0)) {
      return Promise.resolve(baseCompiled);
    }
    const key = JSON.stringify(project.policy);
    const cached = projects.get(project.project);
    if (cached?.key === key) return cached.compiled;
    const compiled = compile(mergePolicies(base, project.policy), config.matchMode);
    projects.set(project.project, { key, compiled });
    return compiled;
  };
  const defaultRole = config.policyDefault;
  const candidatesOf = (subjects: readonly string[]) => [
    ...(defaultRole ? [defaultRole] : []),
    ...subjects.filter((s) => s !== ''),
  ];
  return {
    async enforce(subjects, resource, action, object, project) {
      return decideAny(await compiledFor(project), match, candidatesOf(subjects), resource, action, object);
    },
    async enforceMany(subjects, resource, action, objects, project) {
      const compiled = await compiledFor(project);
      const candidates = candidatesOf(subjects);
      const answers: boolean[] = [];
      for (const object of objects)
        answers.push(await decideAny(compiled, match, candidates, resource, action, object));
      return answers;
    },
  };
}
