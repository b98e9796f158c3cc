import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BODY_LIMITS } from '@/lib/domain/http/body-limits';
import { parseYamlDocuments } from '@/lib/domain/http/bounded-parse';
import { normalizeRepoUrl, type RepoCredentials, type RepoMirrors } from '@/lib/adapters/git';
import { isSourcePermitted } from '@/lib/domain/gitops/projects';
import type { Access } from '../access/ports';
import type { SecretBox } from '../security/secret-box';
import type { PipelineRecords } from './ports';
import { onlyParams, stringParam, type RefFetcher, type RemoteRef } from './remote-refs';
import { latestInProject } from './stored-definitions';

/** A repository's sealed credentials, as add-repository stores them. */
const ZSealedRepoCredentials = z.looseObject({
  username: z.string().optional(),
  token: z.string().optional(),
  sshPrivateKey: z.string().optional(),
}) satisfies z.ZodType<RepoCredentials>;
const ZSpecObject = z.record(z.string(), z.unknown());

/**
 * Tekton's `git` and `cluster` resolvers:
 * - git: `url`, `revision` (default main) and `pathInRepo`, read through the same mirrors and
 *   registered credentials as applications (`keelson repo add` for private repositories), only from a
 *   repository the document's project permits (its AppProject's sourceRepos), checked before any fetch;
 * - cluster: `kind` (task or pipeline) and `name` of a definition stored in the document's own project
 *   (`namespace`, when given, must be that project, as Tekton's cluster resolver refuses other namespaces).
 * Hub, bundles and http need registries or the internet and are refused with what to do instead.
 */
export function createRefFetcher(
  {
    stores,
    access,
  }: { stores: Pick<PipelineRecords, 'definitions' | 'repositories'>; access: Pick<Access, 'project'> },
  box: SecretBox,
  mirrors: RepoMirrors,
): RefFetcher {
  return async (kind, ref, { project }) => {
    if (ref.resolver === 'git') {
      const url = stringParam(ref, 'url');
      const decision = isSourcePermitted((await access.project(project))?.spec.sourceRepos, url);
      if (!decision.permitted)
        throw new Error(
          `project "${project}" does not permit the repository "${url}" (${decision.rule ?? 'not in sourceRepos'}); add it to the AppProject's sourceRepos`,
        );
      return fromGit(stores, box, mirrors, kind, ref);
    }
    if (ref.resolver === 'cluster') return fromStore(stores, kind, ref, project);
    throw new Error(
      `the "${ref.resolver}" resolver is not supported: use resolver git or cluster, or apply the ${kind} with \`keelson apply -f\` and refer to it by name`,
    );
  };
}

async function fromGit(
  stores: Pick<PipelineRecords, 'repositories'>,
  box: SecretBox,
  mirrors: RepoMirrors,
  kind: 'Task' | 'Pipeline',
  ref: RemoteRef,
) {
  onlyParams(ref, ['url', 'revision', 'pathInRepo']);
  const url = stringParam(ref, 'url');
  const revision = stringParam(ref, 'revision', 'main');
  const file = stringParam(ref, 'pathInRepo');
  const sealed = await stores.repositories.sealedCredentials(normalizeRepoUrl(url));
  const credentials = sealed ? ZSealedRepoCredentials.parse(JSON.parse(box.open(sealed))) : undefined;
  const sha = await mirrors.resolveRevision({ url, credentials }, revision);
  const root = await mirrors.readTree({ url, credentials }, sha, '');
  const full = path.resolve(root, file);
  if (!full.startsWith(root + path.sep)) throw new Error(`pathInRepo "${file}" leaves the repository`);
  const missing = () => new Error(`no file "${file}" at ${revision} (${sha.slice(0, 7)})`);
  // Read only a regular file no larger than `keelson apply` would take (issue 13, F4: a repository
  // must not make the worker read without end nor hold gigabytes).
  const info = await stat(full).catch(() => undefined);
  if (!info?.isFile()) throw missing();
  if (info.size > BODY_LIMITS.apply)
    throw new Error(
      `${file} is ${info.size} bytes; a Task or Pipeline file may have at most ${BODY_LIMITS.apply} bytes`,
    );
  const text = await readFile(full, 'utf8').catch(() => {
    throw missing();
  });
  const parsed = parseYamlDocuments(text);
  const bad = parsed.errors[0];
  if (bad) throw new Error(`${file} is not valid YAML: ${bad.path ? `${bad.path}: ` : ''}${bad.message}`);
  const values = parsed.values
    .map((d) => d.value)
    .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
  const match = values.filter((v) => v.kind === kind);
  if (match.length !== 1) throw new Error(`${file} should hold one ${kind}, but holds ${match.length}`);
  const doc = match[0];
  // Catalog Tasks are often still tekton.dev/v1beta1; their spec is read as v1 (fields v1 dropped are refused with their paths).
  if (doc.apiVersion !== 'tekton.dev/v1' && doc.apiVersion !== 'tekton.dev/v1beta1')
    throw new Error(`${file} has apiVersion ${String(doc.apiVersion)}, not tekton.dev/v1`);
  if (typeof doc.spec !== 'object' || doc.spec === null) throw new Error(`${file} has no spec`);
  return ZSpecObject.parse(doc.spec);
}

async function fromStore(
  stores: Pick<PipelineRecords, 'definitions'>,
  kind: 'Task' | 'Pipeline',
  ref: RemoteRef,
  project: string,
) {
  onlyParams(ref, ['kind', 'name', 'namespace']);
  const wanted = stringParam(ref, 'kind', 'task').toLowerCase();
  if (wanted !== kind.toLowerCase()) throw new Error(`kind "${wanted}" where a ${kind} is expected`);
  const namespace = stringParam(ref, 'namespace', project);
  if (namespace !== project)
    throw new Error(
      `the param "namespace" is "${namespace}", but a document of project "${project}" may only resolve definitions of its own project`,
    );
  const name = stringParam(ref, 'name');
  // Another project's definition of that name is not told apart from a missing one.
  const found = (await latestInProject(stores.definitions, kind, [name], project)).found.get(name);
  if (!found) throw new Error(`no ${kind} named "${name}" in project "${project}"; apply it there first`);
  return ZSpecObject.parse(found.document.spec);
}
