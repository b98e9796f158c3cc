import { parsePolicyCsv } from '@/lib/domain/access/policy-csv';
import { defaultRbacConfig, rbacConfigFromData, type RbacConfig } from '@/lib/domain/access/rbac-config';
import { DEFAULT_PROJECT, defaultProject, projectPolicyLines, type TAppProject } from '@/lib/domain/gitops/projects';
import type { Principal } from '../principal';
import { authorize, canI, subjectsOf } from './authorize';
import type { Access, AccessStores, PolicyEngine, ProjectPolicy } from './ports';

/** Builds the policy engine for a configuration (the casbin adapter in production). */
export type PolicyEngineFactory = (config: RbacConfig) => Promise<PolicyEngine>;

/** The policy as of one access revision: the engine, the projects and their role policies. */
interface Snapshot {
  revision: number;
  config: RbacConfig;
  engine: PolicyEngine;
  projects: Map<string, TAppProject>;
  policies: Map<string, ProjectPolicy>;
}

/** Resources whose objects are `<project>/<name>`; `projects` objects are the project name itself. */
const PROJECT_SCOPED = new Set([
  'applications',
  'applicationsets',
  'logs',
  'exec',
  'pipelines',
  'pipelineruns',
  'triggers',
  'secrets',
]);

function projectOf(resource: string, object: string): string | undefined {
  if (resource === 'projects') return object;
  if (!PROJECT_SCOPED.has(resource)) return undefined;
  const slash = object.indexOf('/');
  return slash > 0 ? object.slice(0, slash) : undefined;
}

async function loadSnapshot(stores: AccessStores, revision: number, factory: PolicyEngineFactory): Promise<Snapshot> {
  const [stored, rows] = await Promise.all([stores.rbac.get(), stores.projects.list()]);
  const parsed = stored ? rbacConfigFromData(stored.data) : null;
  // A stored config was valid when it was applied; should it not parse any more, the safe defaults hold.
  const config = parsed?.ok ? parsed.config : defaultRbacConfig();
  const projects = new Map(rows.map((r) => [r.project.metadata.name, r.project]));
  if (!projects.has(DEFAULT_PROJECT)) projects.set(DEFAULT_PROJECT, defaultProject());
  const policies = new Map<string, ProjectPolicy>();
  for (const [name, project] of projects) {
    const lines = projectPolicyLines(name, project.spec.roles);
    if (lines.length === 0) continue;
    const { policy } = parsePolicyCsv(lines.join('\n'), {
      path: `projects/${name}`,
      regex: config.matchMode === 'regex',
    });
    policies.set(name, { project: name, policy });
  }
  return { revision, config, engine: await factory(config), projects, policies };
}

/**
 * One cache per database (keyed by the object the composition root passes): the snapshot of the newest
 * revision seen. Each Access asks the revision once (one primary-key read) and reuses the snapshot when it
 * has not moved, so a list that checks a thousand objects builds nothing.
 */
const caches = new WeakMap<object, Promise<Snapshot>>();

export function createAccessControl(stores: AccessStores, cacheKey: object, factory: PolicyEngineFactory): Access {
  let current: Promise<Snapshot> | undefined;
  const snapshot = (): Promise<Snapshot> => {
    current ??= (async () => {
      const revision = await stores.revision();
      const cached = await caches.get(cacheKey)?.catch(() => undefined);
      if (cached && cached.revision === revision) return cached;
      const fresh = loadSnapshot(stores, revision, factory);
      caches.set(cacheKey, fresh);
      return fresh;
    })();
    return current;
  };
  const request = async (principal: Principal, resource: string, object: string) => {
    const s = await snapshot();
    const project = projectOf(resource, object);
    return { engine: s.engine, policy: project === undefined ? undefined : s.policies.get(project) };
  };
  return {
    async authorize(principal, resource, action, object) {
      const { engine, policy } = await request(principal, resource, object);
      await authorize(engine, principal, resource, action, object, policy);
    },
    async can(principal, resource, action, object) {
      const { engine, policy } = await request(principal, resource, object);
      return canI(engine, principal, resource, action, object, policy);
    },
    async filter(principal, resource, action, items, objectOf) {
      const s = await snapshot();
      const subjects = subjectsOf(principal);
      const byProject = new Map<string | undefined, number[]>();
      const objects = items.map(objectOf);
      objects.forEach((object, i) => {
        const project = projectOf(resource, object);
        const group = byProject.get(project);
        if (group) group.push(i);
        else byProject.set(project, [i]);
      });
      const allowed = new Array<boolean>(items.length).fill(false);
      for (const [project, indexes] of byProject) {
        const policy = project === undefined ? undefined : s.policies.get(project);
        const answers = await s.engine.enforceMany(
          subjects,
          resource,
          action,
          indexes.map((i) => objects[i]),
          policy,
        );
        answers.forEach((ok, j) => (allowed[indexes[j]] = ok));
      }
      return items.filter((_, i) => allowed[i]);
    },
    async project(name) {
      return (await snapshot()).projects.get(name);
    },
    async config() {
      return (await snapshot()).config;
    },
    refreshed: () => createAccessControl(stores, cacheKey, factory),
  };
}
