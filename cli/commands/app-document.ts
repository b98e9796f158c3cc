/** Pure conversions for `keelson app`: create flags → Argo CD Application document, YAML files, --resource. */
import { parseAllDocuments } from 'yaml';
import type { TApplicationDocumentInput, TSyncResource } from '../../lib/schemas/applications';

export interface CreateFlags {
  repo?: string;
  path?: string;
  revision?: string;
  project?: string;
  destCluster?: string;
  destServer?: string;
  destNamespace?: string;
  syncPolicy?: string;
  selfHeal?: boolean;
  autoPrune?: boolean;
  allowEmpty?: boolean;
  syncOption: string[];
  helmSet: string[];
  helmSetString: string[];
  valuesFile: string[];
  releaseName?: string;
  directoryRecurse?: boolean;
}

export class UsageError extends Error {}

function keyValue(flag: string, option: string): { name: string; value: string } {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw new UsageError(`${option} ${flag}: use ${option} name=value`);
  return { name: flag.slice(0, eq), value: flag.slice(eq + 1) };
}

/**
 * `keelson app create NAME --repo … --path … ` as `argocd app create` builds its Application:
 * --helm-set(-string) become helm.parameters, --values-file helm.valueFiles (paths in the repo),
 * --sync-policy automated with --self-heal/--auto-prune becomes syncPolicy.automated.
 */
export function documentFromFlags(name: string, f: CreateFlags, valuesLiteral?: string): TApplicationDocumentInput {
  if (!f.repo) throw new UsageError('--repo is required (or give -f app.yaml)');
  if (!f.destCluster && !f.destServer)
    throw new UsageError('--dest-cluster (a registered cluster name) or --dest-server is required');
  if (f.syncPolicy && !['automated', 'auto', 'automatic', 'none', 'manual'].includes(f.syncPolicy))
    throw new UsageError(`--sync-policy must be automated or none, not "${f.syncPolicy}"`);
  const automated = f.syncPolicy !== undefined && ['automated', 'auto', 'automatic'].includes(f.syncPolicy);
  if (!automated && (f.selfHeal || f.autoPrune || f.allowEmpty))
    throw new UsageError('--self-heal, --auto-prune and --allow-empty need --sync-policy automated');
  for (const o of f.syncOption) keyValue(o, '--sync-option');
  const parameters = [
    ...f.helmSet.map((s) => keyValue(s, '--helm-set')),
    ...f.helmSetString.map((s) => ({ ...keyValue(s, '--helm-set-string'), forceString: true })),
  ];
  const helm =
    parameters.length || f.valuesFile.length || f.releaseName || valuesLiteral !== undefined
      ? {
          ...(parameters.length ? { parameters } : {}),
          ...(f.valuesFile.length ? { valueFiles: f.valuesFile } : {}),
          ...(valuesLiteral !== undefined ? { values: valuesLiteral } : {}),
          ...(f.releaseName ? { releaseName: f.releaseName } : {}),
        }
      : undefined;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name },
    spec: {
      project: f.project ?? 'default',
      source: {
        repoURL: f.repo,
        targetRevision: f.revision ?? 'HEAD',
        path: f.path ?? '',
        ...(helm ? { helm } : {}),
        ...(f.directoryRecurse ? { directory: { recurse: true } } : {}),
      },
      destination: {
        ...(f.destCluster ? { name: f.destCluster } : {}),
        ...(f.destServer ? { server: f.destServer } : {}),
        namespace: f.destNamespace ?? '',
      },
      syncPolicy: {
        ...(automated
          ? {
              automated: {
                prune: Boolean(f.autoPrune),
                selfHeal: Boolean(f.selfHeal),
                allowEmpty: Boolean(f.allowEmpty),
              },
            }
          : {}),
        syncOptions: f.syncOption,
      },
    },
  };
}

/** Every non-empty document of a (multi-document) YAML or JSON file, in order. */
export function documentsFromYaml(text: string, file: string): unknown[] {
  const docs = parseAllDocuments(text);
  const out: unknown[] = [];
  docs.forEach((d, i) => {
    if (d.errors.length) throw new UsageError(`${file}: document ${i + 1}: ${d.errors[0].message}`);
    const value: unknown = d.toJS();
    if (value !== null && value !== undefined) out.push(value);
  });
  if (out.length === 0) throw new UsageError(`${file} holds no document`);
  return out;
}

/** `--resource KIND:NAME`, `GROUP:KIND:NAME` or Argo CD's `GROUP:KIND:NAMESPACE/NAME`. */
export function parseResourceFlag(flag: string): TSyncResource {
  const parts = flag.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p, i) => p === '' && !(parts.length === 3 && i === 0))) {
    throw new UsageError(`--resource ${flag}: use KIND:NAME or GROUP:KIND:NAME (e.g. apps:Deployment:web)`);
  }
  const [group, kind, target] = parts.length === 2 ? ['', parts[0], parts[1]] : parts;
  const slash = target.indexOf('/');
  return slash > 0
    ? { group, kind, namespace: target.slice(0, slash), name: target.slice(slash + 1) }
    : { group, kind, name: target };
}
