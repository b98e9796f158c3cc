/**
 * Checks every reference of a kustomization tree before kustomize runs: local ones must exist
 * inside the checkout (symlinks followed), remote bases only from KEELSON_RENDER_ALLOWED_HOSTS,
 * and `file://`/`ext::` git bases never (they would read this host's repositories, or run a
 * command). The sandbox enforces the same; this gives the message with the field's place, and
 * covers KEELSON_ALLOW_UNSANDBOXED=true.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isScalar, parseDocument, visit } from 'yaml';
import { yamlTooDeep } from '@/lib/domain/http/bounded-parse';
import { insideCheckout } from './confine-path';
import { KUSTOMIZATION_FILES } from './detect-tool';

/** Fields whose entries are kustomizations, files or remote bases. */
const BASE_FIELDS = ['resources', 'bases', 'components', 'generators', 'transformers', 'validators'];
/** Fields (and sub-fields) whose entries are files only. */
const FILE_FIELDS = ['crds', 'patchesStrategicMerge', 'configurations'];
const NESTED_FILE_FIELDS: [string, string][] = [
  ['patches', 'path'],
  ['patchesJson6902', 'path'],
  ['replacements', 'path'],
];
const GENERATOR_FIELDS = ['configMapGenerator', 'secretGenerator'];

export type RefCheck = { ok: true; remote: boolean } | { ok: false; message: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The host (and host:port) of a kustomize remote reference, or null when it is not one. */
export function remoteHost(ref: string): { host: string; hostPort: string; scheme: string } | null {
  const spec = ref.replace(/^git::/, '');
  const scp = /^[\w.-]+@([\w.-]+):/.exec(spec);
  if (scp) return { host: scp[1].toLowerCase(), hostPort: scp[1].toLowerCase(), scheme: 'ssh' };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(spec)?.[1].toLowerCase();
  if (scheme) {
    try {
      const url = new URL(spec);
      return { host: url.hostname.toLowerCase(), hostPort: url.host.toLowerCase(), scheme };
    } catch {
      return { host: '', hostPort: '', scheme };
    }
  }
  const first = spec.split('/')[0];
  if (spec.includes('/') && /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d{1,5})?$/i.test(first))
    return { host: first.split(':')[0].toLowerCase(), hostPort: first.toLowerCase(), scheme: 'https' };
  return null;
}

function checkRemote(ref: string, where: string, allowedHosts: readonly string[]): string | undefined {
  const remote = remoteHost(ref);
  if (!remote) return `${where} "${ref}" not found in the repository`;
  if (remote.scheme === 'file' || remote.scheme === 'ext' || ref.startsWith('ext::')) {
    return `${where} "${ref}": local and ext:: git bases are refused (they read this server's files or run a command); vendor the base into the repository`;
  }
  if (!['https', 'http', 'ssh'].includes(remote.scheme))
    return `${where} "${ref}": the ${remote.scheme}:// scheme is refused; use an https:// base`;
  if (!allowedHosts.includes(remote.host) && !allowedHosts.includes(remote.hostPort)) {
    return `${where} "${ref}": remote bases are refused (the render has no network); vendor it into the repository, or add ${remote.hostPort || 'its host'} to KEELSON_RENDER_ALLOWED_HOSTS`;
  }
  return undefined;
}

async function kustomizationFile(dir: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    const file = path.join(dir, name);
    if (
      await stat(file).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return file;
  }
  return undefined;
}

const MERGE_TAG = 'tag:yaml.org,2002:merge';

/**
 * A kustomization as plain data, alias uses bounded. YAML merge keys (`<<`, or any key tagged
 * `!!merge`) are refused: kustomize's Go YAML applies them, and a reference hidden in a merged map
 * must not slip past the checks below because two parsers merge differently.
 */
function parseKustomization(text: string): unknown {
  const tooDeep = yamlTooDeep(text);
  if (tooDeep) throw new Error(`kustomization: ${tooDeep}`);
  const doc = parseDocument(text, { merge: false, uniqueKeys: true });
  if (doc.errors.length > 0) throw doc.errors[0];
  let merge = false;
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && (pair.key.value === '<<' || pair.key.tag === MERGE_TAG)) {
        merge = true;
        return visit.BREAK;
      }
    },
  });
  if (merge) throw new Error('YAML merge keys (<<) are not supported in kustomizations: write the fields out');
  return doc.toJS({ maxAliasCount: 100 });
}

/** Walks the kustomization at `dir` and everything it references inside the checkout. */
export async function checkKustomizeRefs(
  root: string,
  dir: string,
  allowedHosts: readonly string[],
): Promise<RefCheck> {
  const seen = new Set<string>();
  const queue = [dir];
  let remote = false;
  while (queue.length > 0) {
    const kdir = queue.shift()!;
    if (seen.has(kdir) || seen.size > 500) continue;
    seen.add(kdir);
    const file = await kustomizationFile(kdir);
    if (!file) continue;
    const shown = path.relative(root, file) || file;
    let doc: unknown;
    try {
      doc = parseKustomization(await readFile(file, 'utf8'));
    } catch (error) {
      return { ok: false, message: `${shown}: not valid YAML: ${(error as Error).message.split('\n')[0]}` };
    }
    if (!isRecord(doc)) continue;
    if (doc.helmCharts !== undefined || doc.helmGlobals !== undefined)
      return { ok: false, message: `${shown}: helmCharts are not supported (they fetch charts); use a helm source` };
    const local = async (entry: string, where: string, mayBeBase: boolean): Promise<string | undefined> => {
      const full = await insideCheckout(root, kdir, entry);
      const exists = full && (await stat(full).catch(() => null));
      if (full && exists) {
        if (mayBeBase && exists.isDirectory()) queue.push(full);
        return undefined;
      }
      if (
        !full &&
        (await stat(path.resolve(kdir, entry)).then(
          () => true,
          () => false,
        ))
      )
        return `${where} "${entry}" is outside the repository`;
      if (!mayBeBase)
        return full
          ? `${where} "${entry}" not found in the repository`
          : `${where} "${entry}" is outside the repository`;
      const refused = checkRemote(entry, where, allowedHosts);
      if (!refused) remote = true;
      return refused;
    };
    const checks: [string, string, boolean][] = [];
    for (const field of BASE_FIELDS)
      strings(doc[field]).forEach((e, i) => checks.push([e, `${shown}: ${field}[${i}]`, true]));
    for (const field of FILE_FIELDS)
      strings(doc[field]).forEach((e, i) => !e.includes('\n') && checks.push([e, `${shown}: ${field}[${i}]`, false]));
    for (const [field, sub] of NESTED_FILE_FIELDS) {
      (Array.isArray(doc[field]) ? doc[field] : []).forEach((p: unknown, i: number) => {
        if (isRecord(p) && typeof p[sub] === 'string')
          checks.push([p[sub] as string, `${shown}: ${field}[${i}].${sub}`, false]);
      });
    }
    for (const field of GENERATOR_FIELDS) {
      (Array.isArray(doc[field]) ? doc[field] : []).forEach((g: unknown, i: number) => {
        if (!isRecord(g)) return;
        for (const sub of ['files', 'envs'])
          strings(g[sub]).forEach((e, j) =>
            checks.push([e.slice(e.indexOf('=') + 1), `${shown}: ${field}[${i}].${sub}[${j}]`, false]),
          );
        if (typeof g.env === 'string') checks.push([g.env, `${shown}: ${field}[${i}].env`, false]);
      });
    }
    if (isRecord(doc.openapi) && typeof doc.openapi.path === 'string')
      checks.push([doc.openapi.path, `${shown}: openapi.path`, false]);
    for (const [entry, where, mayBeBase] of checks) {
      const problem = await local(entry, where, mayBeBase);
      if (problem) return { ok: false, message: problem };
    }
  }
  return { ok: true, remote };
}
