/**
 * Desired state of an app at one commit: render the source (cached by repo, SHA, path and
 * options), then give namespaced objects the destination namespace and mark each as the app's.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import type { RepoRef } from '@/lib/adapters/git';
import { discoveryFor, type KubeConnection } from '@/lib/adapters/k8s';
import { renderCacheKey, type RenderCache, type RenderSourceSpec } from '@/lib/adapters/render';
import { groupOf, parseKubeObject, withDefaultNamespace, withTracking, type KubeObject } from '@/lib/domain/gitops';
import type { TApplicationSpec } from '@/lib/schemas/applications';
import type { GitRepos, ManifestRenderer } from '../ports';

export type RenderedApp =
  { ok: true; desired: KubeObject[]; sourceType: 'Directory' | 'Kustomize' | 'Helm' } | { ok: false; message: string };

export interface RenderRuntime {
  mirrors: Pick<GitRepos, 'readTree'>;
  renderCache: RenderCache;
  renderer: ManifestRenderer;
}

/** The Argo CD source as the renderer reads it (helm release name and namespace default to the app's). */
export function renderSpecOf(appName: string, spec: TApplicationSpec): RenderSourceSpec {
  const { source } = spec;
  const h = source.helm;
  const helm = h
    ? {
        valueFiles: h.valueFiles,
        values: h.values ?? (h.valuesObject ? stringify(h.valuesObject) : undefined),
        parameters: h.parameters,
        fileParameters: h.fileParameters,
        releaseName: h.releaseName || appName,
        namespace: h.namespace || spec.destination.namespace || undefined,
        ignoreMissingValueFiles: h.ignoreMissingValueFiles,
        skipCrds: h.skipCrds,
        skipSchemaValidation: h.skipSchemaValidation,
        skipTests: h.skipTests,
        kubeVersion: h.kubeVersion,
        apiVersions: h.apiVersions,
      }
    : undefined;
  return { path: source.path, directory: source.directory, kustomize: source.kustomize, helm };
}

const TOOL_NAMES = { directory: 'Directory', kustomize: 'Kustomize', helm: 'Helm' } as const;

export async function renderApp(
  rt: RenderRuntime,
  conn: KubeConnection | undefined,
  appName: string,
  spec: TApplicationSpec,
  repo: RepoRef,
  sha: string,
  opts: { hard?: boolean } = {},
): Promise<RenderedApp> {
  const source = renderSpecOf(appName, spec);
  const explicit = Boolean(spec.source.helm || spec.source.kustomize || spec.source.directory);
  // Without a named tool, a detected chart still gets the app's release name: the key must say which app.
  const key = renderCacheKey({ repoUrl: repo.url, sha, source }) + (explicit ? '' : `|${appName}`);
  const render = async () => {
    const root = await rt.mirrors.readTree(repo, sha, '');
    if (explicit) return rt.renderer.render(root, source);
    const dir = path.resolve(root, (source.path ?? '').replace(/^\/+/, '') || '.');
    const detected = dir.startsWith(root)
      ? await rt.renderer.detect(dir).catch(() => 'directory' as const)
      : 'directory';
    const chart =
      detected === 'helm' ? { helm: { releaseName: appName, namespace: spec.destination.namespace || undefined } } : {};
    return rt.renderer.render(root, { path: source.path, ...chart });
  };
  const result = opts.hard
    ? await render().then((r) => {
        rt.renderCache.set(key, r);
        return r;
      })
    : await rt.renderCache.getOrRender(key, render);
  if (!result.ok) return { ok: false, message: `${result.error.tool}: ${result.error.message}` };

  const objects: KubeObject[] = [];
  for (const [i, raw] of result.objects.entries()) {
    const parsed = parseKubeObject(raw);
    if (!parsed.ok) return { ok: false, message: `manifest #${i + 1}: ${parsed.message}` };
    objects.push(parsed.obj);
  }
  const scope = new Map<string, boolean | undefined>();
  if (conn) {
    const discovery = discoveryFor(conn);
    await Promise.all(
      [...new Map(objects.map((o) => [`${o.apiVersion}|${o.kind}`, o])).values()].map(async (o) => {
        const info = await discovery.lookup(o.apiVersion, o.kind).catch(() => undefined);
        scope.set(`${groupOf(o.apiVersion)}/${o.kind}`, info?.namespaced);
      }),
    );
  }
  const namespace = spec.destination.namespace;
  const desired = objects.map((o) =>
    withTracking(
      withDefaultNamespace(o, namespace, (g, k) => scope.get(`${g}/${k}`)),
      appName,
    ),
  );
  return { ok: true, desired, sourceType: TOOL_NAMES[result.tool] };
}
