import { z } from 'zod';
import type { RepoCredentials, RepoRef } from '@/lib/adapters/git';
import { zStoredClusterCredentials, type ClusterCredentials } from '@/lib/adapters/k8s';
import type { SecretBox } from '../security/secret-box';
import type { AppRow, ControlledApp, GitopsRecords } from './ports';

export type { AppRow, ControlledApp };

/** The stores the targets are read from. */
export type TargetDeps = { gitops: Pick<GitopsRecords, 'clusters' | 'repositories'> };

/** A repository's credentials as add-repository seals them. */
const ZStoredRepoCredentials: z.ZodType<RepoCredentials> = z.object({
  username: z.string().optional(),
  token: z.string().optional(),
  sshPrivateKey: z.string().optional(),
});

/** The repository to read, with the credentials of the matching registered repository (if any). */
export async function repoRefFor(
  deps: TargetDeps,
  box: SecretBox,
  app: Pick<AppRow, 'spec' | 'normalizedRepoUrl'>,
): Promise<RepoRef> {
  const sealed = await deps.gitops.repositories.sealedCredentials(app.normalizedRepoUrl);
  const credentials = sealed ? ZStoredRepoCredentials.parse(JSON.parse(box.open(sealed))) : undefined;
  return { url: app.spec.source.repoURL, credentials };
}

export interface ClusterTarget {
  name: string;
  server: string;
  credentials: ClusterCredentials;
}

/** The registered cluster an app deploys to, or undefined when it was removed. */
export async function clusterTargetFor(
  deps: TargetDeps,
  box: SecretBox,
  clusterName: string,
): Promise<ClusterTarget | undefined> {
  const row = await deps.gitops.clusters.find(clusterName);
  if (!row) return undefined;
  // Defence in depth: stored credentials are re-checked at every load (inline data only, no file path);
  // connect() then refuses a kubeconfig with exec, auth-provider or file fields again.
  const parsed = zStoredClusterCredentials.safeParse(JSON.parse(box.open(row.sealedCredentials)));
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || '(root)';
    throw new Error(
      `cluster "${row.name}" has stored credentials Keelson no longer accepts (at ${where}): remove the cluster and add it again with inline credentials`,
    );
  }
  const credentials = parsed.data;
  return { name: row.name, server: row.server, credentials };
}
