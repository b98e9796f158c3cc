import { stringify } from 'yaml';
import {
  classifyRepoUrl,
  displayRepoUrl,
  guardRemoteUrl,
  isRepoError,
  normalizeRepoUrl,
  type RepoHostPolicy,
} from '@/lib/adapters/git';
import type { JqRunner } from '@/lib/adapters/jq';
import { activeAutomation, ZApplicationDocument, type TApplicationDocument } from '@/lib/schemas/applications';
import type { GitopsDeps } from '../ports';
import { fieldError, parseOrThrow } from './parse-input';

/** Argo CD's name for "the cluster Argo CD runs in"; matched to a cluster registered as in-cluster. */
const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

export interface ApplicationColumns {
  name: string;
  project: string;
  spec: TApplicationDocument['spec'];
  repoUrl: string;
  normalizedRepoUrl: string;
  targetRevision: string;
  path: string;
  clusterName: string;
  destNamespace: string;
  automated: boolean;
}

const trimSlash = (s: string) => s.trim().replace(/\/+$/, '');

function refuseMultiSource(raw: unknown): void {
  const spec = (raw as { spec?: { sources?: unknown; source?: { chart?: unknown; plugin?: unknown } } } | null)?.spec;
  if (spec && typeof spec === 'object' && 'sources' in spec && spec.sources !== undefined) {
    throw fieldError(
      'spec.sources',
      'multi-source Applications are not supported',
      'Use one spec.source (repoURL, targetRevision, path); split other sources into their own Applications.',
    );
  }
  // Said here with a hint, rather than as zod's bare "unrecognized key".
  if (spec?.source && typeof spec.source === 'object' && spec.source.chart !== undefined) {
    throw fieldError(
      'spec.source.chart',
      'charts from Helm chart repositories are not supported yet',
      'Keep the chart in a Git repository and point spec.source.path at its folder (helm options stay the same).',
    );
  }
  if (spec?.source && typeof spec.source === 'object' && 'plugin' in spec.source && spec.source.plugin !== undefined) {
    throw fieldError(
      'spec.source.plugin',
      'config management plugins are not supported',
      'Render the manifests in CI (a Keelson pipeline can) and commit the YAML, or use plain YAML, Kustomize or Helm.',
    );
  }
}

async function checkRepoUrl(repoURL: string, policy: RepoHostPolicy): Promise<void> {
  const kind = classifyRepoUrl(repoURL);
  if (kind === 'invalid') {
    throw fieldError(
      'spec.source.repoURL',
      `"${displayRepoUrl(repoURL)}" is not a repository URL`,
      'Use https://…, ssh://… or git@host:org/repo.',
    );
  }
  // A password in the URL would be stored in the spec and shown by the API; credentials belong to `keelson repo add`.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i.test(repoURL.trim())) {
    throw fieldError(
      'spec.source.repoURL',
      'the URL carries credentials',
      'Remove user:password from the URL and add the repository with `keelson repo add URL --username U --password T`.',
    );
  }
  if (kind === 'local' && !policy.allowLocal) {
    throw fieldError(
      'spec.source.repoURL',
      'local paths and file:// URLs are not allowed on this server',
      'Set KEELSON_ALLOW_LOCAL_REPOS=true (development and tests only).',
    );
  }
  if (kind !== 'remote') return;
  // The controller will fetch this URL again and again: refuse hosts on loopback, link-local or
  // (unless allowed) private addresses now. A name that does not resolve yet is accepted; every
  // fetch checks again.
  try {
    await guardRemoteUrl(repoURL, policy);
  } catch (err) {
    if (isRepoError(err) && err.code !== 'UNREACHABLE') {
      throw fieldError(
        'spec.source.repoURL',
        err.message,
        'Point repoURL at a Git server this Keelson may reach (KEELSON_ALLOW_PRIVATE_REPO_HOSTS names private ones).',
      );
    }
  }
}

/** A path inside the repository: relative, no `..` (rendering must not read outside the checkout). */
function checkPath(path: string): void {
  if (path.startsWith('/') || path.split('/').includes('..')) {
    throw fieldError(
      'spec.source.path',
      `"${path}" leaves the repository`,
      'Give a path relative to the repository root, e.g. apps/web (or "" for the root).',
    );
  }
}

async function resolveCluster(
  deps: Pick<GitopsDeps, 'gitops'>,
  dest: TApplicationDocument['spec']['destination'],
): Promise<string> {
  const rows = await deps.gitops.clusters.list();
  const registered = rows.map((c) => c.name).join(', ') || 'none yet';
  const hint = `Registered clusters: ${registered}. Register one with \`keelson cluster add NAME --kubeconfig PATH\`.`;
  if (dest.name) {
    const byName = rows.find((c) => c.name === dest.name);
    if (!byName) throw fieldError('spec.destination.name', `no registered cluster named "${dest.name}"`, hint);
    if (dest.server && trimSlash(dest.server) !== trimSlash(byName.server)) {
      throw fieldError(
        'spec.destination.server',
        `cluster "${dest.name}" has server ${byName.server}, not ${dest.server}`,
        'Give destination.name or destination.server, not two that disagree.',
      );
    }
    return byName.name;
  }
  const server = trimSlash(dest.server ?? '');
  const byServer =
    rows.find((c) => trimSlash(c.server) === server) ??
    (server === IN_CLUSTER_SERVER ? rows.find((c) => c.name === 'in-cluster') : undefined);
  if (!byServer) throw fieldError('spec.destination.name', `no registered cluster with server ${dest.server}`, hint);
  return byServer.name;
}

/** Each jq expression must compile; it is checked without being run (a loop cannot hang the check). */
async function checkJqExpressions(doc: TApplicationDocument, jq: JqRunner): Promise<void> {
  for (const [i, rule] of doc.spec.ignoreDifferences.entries()) {
    for (const [j, expression] of (rule.jqPathExpressions ?? []).entries()) {
      try {
        await jq.run(null, `if false then del(${expression}) else . end`);
      } catch (err) {
        throw fieldError(
          `spec.ignoreDifferences[${i}].jqPathExpressions[${j}]`,
          `not a jq path expression: ${(err as Error).message}`,
          'Write a jq path such as .spec.replicas or .webhooks[]?.clientConfig.caBundle (what it selects is ignored in the diff).',
        );
      }
    }
  }
}

/** Argo CD's valuesObject wins over values; the renderer reads only the text form. */
function foldHelmValues(doc: TApplicationDocument): TApplicationDocument {
  const helm = doc.spec.source.helm;
  if (!helm?.valuesObject) return doc;
  const { valuesObject, ...rest } = helm;
  return {
    ...doc,
    spec: { ...doc.spec, source: { ...doc.spec.source, helm: { ...rest, values: stringify(valuesObject) } } },
  };
}

/**
 * Validates an Application document (Argo CD shape) and derives the columns stored beside the
 * spec. Every refusal is a 400 naming the field; nothing is read or written but the cluster list.
 */
export async function validateApplication(
  deps: Pick<GitopsDeps, 'gitops'>,
  raw: unknown,
  /** The configured policy (repoHostPolicy); a bare boolean allows local repositories, and private hosts with them. */
  allowLocal: boolean | RepoHostPolicy,
  /** Checks ignoreDifferences' jq expressions (the process's jq thread). */
  jq: JqRunner,
): Promise<ApplicationColumns> {
  refuseMultiSource(raw);
  const doc = foldHelmValues(
    parseOrThrow(
      ZApplicationDocument,
      raw,
      'Fix the fields listed in issues; the document follows Argo CD (argoproj.io/v1alpha1 Application).',
    ),
  );
  const { source, destination, syncPolicy } = doc.spec;
  await checkRepoUrl(
    source.repoURL,
    typeof allowLocal === 'boolean' ? { allowLocal, privateHosts: allowLocal ? 'all' : 'none' } : allowLocal,
  );
  checkPath(source.path);
  await checkJqExpressions(doc, jq);
  const clusterName = await resolveCluster(deps, destination);
  return {
    name: doc.metadata.name,
    project: doc.spec.project,
    spec: doc.spec,
    repoUrl: displayRepoUrl(source.repoURL),
    normalizedRepoUrl: normalizeRepoUrl(source.repoURL),
    targetRevision: source.targetRevision,
    path: source.path,
    clusterName,
    destNamespace: destination.namespace,
    automated: Boolean(activeAutomation(syncPolicy)),
  };
}
