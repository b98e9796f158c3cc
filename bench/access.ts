/**
 * `npm run bench:access`: how long the policy engine takes to filter a list of 10,000 objects, the way a list
 * service asks (one decision per object), against the baseline of asking casbin directly for each object with
 * the whole policy (what Argo CD's enforcer does). Prints milliseconds and the ratio, per policy shape.
 */
import { newEnforcer, newModelFromString } from 'casbin';
import { ARGO_CD_MODEL_CONF } from '../lib/adapters/casbin/model';
import { createCasbinPolicyEngine } from '../lib/adapters/casbin/policy-engine';
import { mergePolicies } from '../lib/domain/access/policy-csv';
import { builtinPolicy, rbacConfigFromData, type RbacConfig } from '../lib/domain/access/rbac-config';
import { globMatch } from '../lib/domain/gitops/projects/glob';

const OBJECTS = 10_000;
const PROJECTS = 60;

function config(data: Record<string, string>): RbacConfig {
  const result = rbacConfigFromData(data);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

const teamPolicy = Array.from(
  { length: 50 },
  (_, i) => `p, role:team-${i}, applications, *, team-${i}/*, allow\ng, group-${i}, role:team-${i}`,
).join('\n');

const shapes: { label: string; config: RbacConfig; subjects: string[] }[] = [
  {
    label: 'fresh install, role:readonly user',
    config: config({ 'policy.default': 'role:readonly' }),
    subjects: ['alice', 'devs'],
  },
  { label: 'fresh install, admin', config: config({ 'policy.default': 'role:readonly' }), subjects: ['admin'] },
  {
    label: '50 team roles, user in 2 teams',
    config: config({ 'policy.default': '', 'policy.csv': teamPolicy }),
    subjects: ['bob', 'group-3', 'group-7'],
  },
];

/** Argo CD's way: the whole policy in one enforcer, each subject asked in turn for each object. */
async function baseline(c: RbacConfig, subjects: string[], objects: string[]): Promise<number> {
  const e = await newEnforcer(newModelFromString(ARGO_CD_MODEL_CONF));
  e.addFunction('globOrRegexMatch', (v: unknown, p: unknown) => globMatch(String(p), String(v)));
  const policy = mergePolicies(builtinPolicy(), c.policy);
  await e.addPolicies(policy.rules.map((r) => [r.subject, r.resource, r.action, r.object, r.effect]));
  if (policy.links.length) await e.addGroupingPolicies(policy.links.map((l) => [l.subject, l.role]));
  const candidates = [...(c.policyDefault ? [c.policyDefault] : []), ...subjects];
  let n = 0;
  for (const o of objects) {
    for (const s of candidates) {
      if (await e.enforce(s, 'applications', 'get', o)) {
        n++;
        break;
      }
    }
  }
  return n;
}

async function keelson(c: RbacConfig, subjects: string[], objects: string[]): Promise<number> {
  const engine = await createCasbinPolicyEngine(c);
  let n = 0;
  for (const o of objects) if (await engine.enforce(subjects, 'applications', 'get', o)) n++;
  return n;
}

async function time(fn: () => Promise<number>): Promise<{ ms: number; allowed: number }> {
  const t0 = performance.now();
  const allowed = await fn();
  return { ms: performance.now() - t0, allowed };
}

async function main() {
  const objects = Array.from({ length: OBJECTS }, (_, i) => `team-${i % PROJECTS}/app-${i}`);
  console.log(`Filtering ${OBJECTS} objects in ${PROJECTS} projects (applications, get); ms, lower is better`);
  for (const shape of shapes) {
    const base = await time(() => baseline(shape.config, shape.subjects, objects));
    const ours = await time(() => keelson(shape.config, shape.subjects, objects));
    if (base.allowed !== ours.allowed)
      throw new Error(`${shape.label}: ${ours.allowed} allowed, baseline ${base.allowed}`);
    console.log(
      `${shape.label.padEnd(36)} baseline ${base.ms.toFixed(0).padStart(6)} ms   keelson ${ours.ms.toFixed(0).padStart(5)} ms   ${(base.ms / ours.ms).toFixed(1)}x faster   (${ours.allowed} allowed)`,
    );
  }
}

void main();
