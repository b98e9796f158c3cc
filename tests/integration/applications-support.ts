import { applications, clusters, users } from '../../lib/adapters/db/schema';
import { defaultProject, type TAppProject } from '../../lib/domain/gitops/projects';
import type { TApplicationDocumentInput } from '../../lib/schemas/applications';
import type { Principal } from '../../lib/server/principal';
import { secretBox } from '../../lib/server/security/secret-box';
import { grantAdmin } from './support/principals';
import type { TestDatabase } from './support/test-database';

export const box = secretBox('applications-test-key-'.repeat(2));

/**
 * A user (role:admin through a `g, ops, role:admin` line) and two clusters; `dead` points at a closed port
 * (credentials are real, the server is not).
 */
export async function seedBasics(t: TestDatabase): Promise<Principal> {
  const [u] = await t.handle.db.insert(users).values({ username: 'ops' }).returning();
  await grantAdmin(t, 'ops');
  const creds = (server: string) => box.seal(JSON.stringify({ type: 'token', server, token: 'cluster-token' }));
  await t.handle.db.insert(clusters).values([
    {
      name: 'prod',
      server: 'https://prod.example:6443',
      sealedCredentials: creds('https://prod.example:6443'),
      createdBy: 'ops',
    },
    { name: 'dead', server: 'http://127.0.0.1:9', sealedCredentials: creds('http://127.0.0.1:9'), createdBy: 'ops' },
  ]);
  return { userId: u.id, username: 'ops', name: null, role: 'user', groups: [], via: 'token' };
}

/** An Argo CD Application document with overrides. */
export function appDoc(
  name: string,
  over: { repoURL?: string; targetRevision?: string; path?: string; cluster?: string; namespace?: string } = {},
): TApplicationDocumentInput {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: {
      project: 'default',
      source: {
        repoURL: over.repoURL ?? 'https://github.com/acme/deploy.git',
        targetRevision: over.targetRevision ?? 'main',
        path: over.path ?? 'apps/web',
      },
      destination: { name: over.cluster ?? 'prod', namespace: over.namespace ?? 'web' },
    },
  };
}

/** Rows straight into the table, for listing and matching tests (what the controller would have written). */
export async function insertApps(t: TestDatabase, rows: Partial<typeof applications.$inferInsert>[]) {
  if (rows.length === 0) return;
  await t.handle.db.insert(applications).values(
    rows.map((r, i) => ({
      name: `app-${i}`,
      spec: appDoc(r.name ?? `app-${i}`).spec as never,
      repoUrl: 'https://github.com/acme/deploy',
      normalizedRepoUrl: 'https://github.com/acme/deploy',
      targetRevision: 'main',
      path: 'apps/web',
      clusterName: 'prod',
      destNamespace: 'web',
      createdBy: 'ops',
      ...r,
    })),
  );
}

export const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) =>
      e as {
        status: number;
        message: string;
        details: {
          issues?: { path: string; message: string }[];
          hint?: string;
          denied?: { resource: string; action: string; object: string };
        };
      },
  );

/** An AppProject named `name`: the default project's rules (everything permitted) with these overrides. */
export function project(name: string, spec: Partial<TAppProject['spec']> = {}): TAppProject {
  const p = defaultProject();
  p.metadata.name = name;
  p.spec = { ...p.spec, ...spec };
  return p;
}
