import {
  checkCluster,
  connect,
  safeKubeconfigText,
  UnsafeKubeconfigError,
  type StoredClusterCredentials,
} from '@/lib/adapters/k8s';
import type { TAddCluster } from '@/lib/schemas/gitops';
import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import type { SecretBox } from '../security/secret-box';
import { auditEntry } from './audit-entry';
import type { GitopsDeps } from './ports';

const KUBECONFIG_HINT =
  'Send a kubeconfig with inline data only (token or client-certificate-data/client-key-data, certificate-authority-data): `kubectl config view --raw --flatten --minify`.';

/**
 * Registers a cluster only if its API server answers `/version` and accepts the credentials;
 * the credentials are stored sealed and never returned. Needs `clusters, create, <server URL>`: the URL given,
 * or `*` before a kubeconfig is read, then its server.
 */
export async function registerCluster(deps: GitopsDeps, box: SecretBox, principal: Principal, input: TAddCluster) {
  await deps.access.authorize(principal, 'clusters', 'create', input.server ?? '*');
  if (await deps.gitops.clusters.find(input.name))
    throw new AppError('CONFLICT', `A cluster named "${input.name}" is already registered.`, {
      hint: 'Remove it first, or pick another name.',
    });
  const credentials = credentialsOf(input);
  let conn;
  try {
    conn = await connect(credentials);
  } catch (err) {
    throw new AppError('BAD_REQUEST', `The cluster credentials are not usable: ${(err as Error).message}`, {
      hint: 'Check the kubeconfig and context.',
    });
  }
  try {
    await deps.access.authorize(principal, 'clusters', 'create', conn.server);
    const check = await checkCluster(conn, { timeoutMs: 10_000 });
    if (!check.ok)
      throw new AppError('BAD_REQUEST', `The cluster refused the credentials or did not answer: ${check.message}`, {
        hint: 'Check the server URL, token and CA, then add it again.',
      });
    return await deps.gitops.transaction(async (tx) => {
      const row = await tx.clusters.insert({
        name: input.name,
        server: conn.server,
        serverVersion: check.version.gitVersion,
        sealedCredentials: box.seal(JSON.stringify(credentials)),
        createdBy: principal.username,
        createdAt: deps.now(),
      });
      await tx.audit.record(auditEntry(principal, 'cluster.add', `cluster/${input.name}`));
      return row;
    });
  } finally {
    conn.close();
  }
}

function credentialsOf(input: TAddCluster): StoredClusterCredentials {
  if (input.kubeconfig) {
    checkKubeconfig(input.kubeconfig);
    return { type: 'kubeconfig', content: input.kubeconfig, context: input.context };
  }
  if (input.insecure && input.caData) {
    throw new AppError('BAD_REQUEST', 'insecure cannot be combined with caData.', {
      issues: [{ path: 'insecure', message: 'drop insecure when you give caData (as kubectl does)' }],
    });
  }
  if (input.server && input.token)
    return { type: 'token', server: input.server, token: input.token, caData: input.caData, insecure: input.insecure };
  throw new AppError('BAD_REQUEST', 'Give a kubeconfig, or a server with a token.', {
    issues: [{ path: 'kubeconfig', message: 'missing' }],
    hint: 'keelson cluster add NAME --kubeconfig PATH [--context C]',
  });
}

/** Refuses, with each field's path, a kubeconfig that would run a command or read a file; nothing is loaded before. */
function checkKubeconfig(text: string): void {
  try {
    safeKubeconfigText(text);
  } catch (err) {
    if (!(err instanceof UnsafeKubeconfigError)) throw err;
    throw new AppError('BAD_REQUEST', err.message, {
      issues: err.problems.map((p) => ({
        path: p.path === '(root)' ? 'kubeconfig' : `kubeconfig.${p.path}`,
        message: p.message,
      })),
      hint: KUBECONFIG_HINT,
    });
  }
}
