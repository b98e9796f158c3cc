import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepoMirrors } from '../../lib/adapters/git';
import {
  createRenderCache,
  detectTool,
  renderCacheKey,
  renderSource,
  type KubeObjectLike,
  type RenderResult,
  type RenderTools,
} from '../../lib/adapters/render';
import { helmBin, kustomizeBin } from '../cluster/binaries';
import { copyFixtureFiles, createTestRepo, type TestRepo } from './support/git-repos';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/repos');

const names = (result: RenderResult): string[] => {
  if (!result.ok) throw new Error(`render failed: ${result.error.message}`);
  return result.objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort();
};
const find = (result: RenderResult, kind: string, name: string): KubeObjectLike | undefined =>
  result.ok ? result.objects.find((o) => o.kind === kind && o.metadata?.name === name) : undefined;

describe('rendering sources from a real checkout', () => {
  let repo: TestRepo;
  let cacheDir: string;
  let root: string;
  let tools: RenderTools;

  beforeAll(async () => {
    tools = { helmBin: helmBin(), kustomizeBin: kustomizeBin() };
    const files = {};
    for (const name of ['plain', 'kustomize-app', 'kustomize-broken', 'helm-app', 'helm-missing-dep', 'helm-huge']) {
      Object.assign(files, await copyFixtureFiles(path.join(FIXTURES, name), name));
    }
    repo = await createTestRepo({ name: 'sources', files });
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'keelson-render-'));
    const mirrors = createRepoMirrors({ cacheDir, allowLocal: true });
    const sha = await mirrors.resolveRevision({ url: repo.url }, 'main');
    root = await mirrors.readTree({ url: repo.url }, sha, '');
  });

  afterAll(async () => {
    await repo.cleanup();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('detects the tool from the folder', async () => {
    expect(await detectTool(path.join(root, 'helm-app'))).toBe('helm');
    expect(await detectTool(path.join(root, 'kustomize-app/overlays/prod'))).toBe('kustomize');
    expect(await detectTool(path.join(root, 'plain'))).toBe('directory');
  });

  it('renders a plain directory: top level only, multi-doc, List flattened, JSON, skip directive', async () => {
    const result = await renderSource(root, { path: 'plain' }, tools);
    expect(result.ok && result.tool).toBe('directory');
    expect(names(result)).toEqual([
      'ConfigMap/plain-a',
      'ConfigMap/plain-config-json',
      'ConfigMap/plain-list-1',
      'ConfigMap/plain-list-2',
      'Service/plain-svc',
    ]);
  });

  it('recurses, and filters with include/exclude globs as Argo CD does', async () => {
    const all = await renderSource(root, { path: 'plain', directory: { recurse: true } }, tools);
    expect(names(all)).toContain('Secret/plain-deeper-c');
    expect(names(all)).toContain('ConfigMap/plain-usw2');
    const filtered = await renderSource(
      root,
      { path: 'plain', directory: { recurse: true, include: '*.yaml', exclude: '{config.json,env-usw2/*}' } },
      tools,
    );
    expect(names(filtered)).toEqual(['ConfigMap/plain-a', 'Service/plain-svc']);
    const braces = await renderSource(
      root,
      { path: 'plain', directory: { recurse: true, include: '{sub/*,list.yml}' } },
      tools,
    );
    expect(names(braces)).toEqual([
      'ConfigMap/plain-list-1',
      'ConfigMap/plain-list-2',
      'ConfigMap/plain-sub-b',
      'Secret/plain-deeper-c',
    ]);
  });

  it('renders kustomize with namePrefix, nameSuffix, images and commonLabels, leaving the checkout untouched', async () => {
    const source = {
      path: 'kustomize-app/overlays/prod',
      kustomize: {
        namePrefix: 'k-',
        nameSuffix: '-v2',
        images: ['nginx=registry.example.com/nginx:1.27'],
        commonLabels: { team: 'blue' },
      },
    };
    const result = await renderSource(root, source, tools);
    expect(result.ok && result.tool).toBe('kustomize');
    expect(names(result)).toEqual(['Deployment/k-web-v2', 'Service/k-web-v2']);
    expect(find(result, 'Deployment', 'k-web-v2')).toMatchObject({
      metadata: { labels: { env: 'prod', team: 'blue' } },
      spec: {
        selector: { matchLabels: { app: 'web', team: 'blue' } },
        template: { spec: { containers: [{ image: 'registry.example.com/nginx:1.27' }] } },
      },
    });
    expect(names(await renderSource(root, { path: 'kustomize-app/overlays/prod' }, tools))).toEqual([
      'Deployment/web',
      'Service/web',
    ]);
  });

  it('renders helm with value files, inline values, parameters and release name', async () => {
    const result = await renderSource(
      root,
      {
        path: 'helm-app',
        helm: {
          releaseName: 'shop',
          namespace: 'prod',
          valueFiles: ['values-prod.yaml'],
          values: 'extra: from inline\ngreeting: inline wins\n',
          parameters: [
            { name: 'replicas', value: '5' },
            { name: 'image.tag', value: '2.0', forceString: true },
          ],
        },
      },
      tools,
    );
    expect(result.ok && result.tool).toBe('helm');
    expect(names(result)).toEqual(['ConfigMap/shop-config', 'Deployment/shop-web']);
    expect(find(result, 'ConfigMap', 'shop-config')).toMatchObject({
      metadata: { namespace: 'prod' },
      data: { greeting: 'inline wins', extra: 'from inline' },
    });
    expect(find(result, 'Deployment', 'shop-web')).toMatchObject({
      spec: { replicas: 5, template: { spec: { containers: [{ image: 'example.invalid/web:2.0' }] } } },
    });
  });

  it('renders Argo CD kustomize options: replicas, inline and file patches, components, labels without selectors', async () => {
    const result = await renderSource(
      root,
      {
        path: 'kustomize-app/overlays/prod',
        kustomize: {
          replicas: [{ name: 'web', count: '4' }],
          patches: [
            {
              target: { kind: 'Deployment', name: 'web' },
              patch: '- op: add\n  path: /metadata/annotations/patched-inline\n  value: "yes"\n',
            },
            { target: { kind: 'Deployment' }, path: 'annotate-patch.yaml' },
          ],
          components: ['../../components/annotate', '../../components/missing'],
          ignoreMissingComponents: true,
          commonLabels: { team: 'blue' },
          labelWithoutSelector: true,
        },
      },
      tools,
    );
    const web = find(result, 'Deployment', 'web') as unknown as {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: {
        replicas: number;
        selector: { matchLabels: Record<string, string> };
        template: { metadata: { labels: Record<string, string> } };
      };
    };
    expect(web.spec.replicas).toBe(4);
    expect(web.metadata.annotations).toMatchObject({
      'patched-inline': 'yes',
      'patched-from-file': 'yes',
      'from-component': 'yes',
    });
    expect(web.metadata.labels.team).toBe('blue');
    expect(web.spec.selector.matchLabels.team).toBeUndefined();
    expect(web.spec.template.metadata.labels.team).toBeUndefined();

    const missing = await renderSource(
      root,
      { path: 'kustomize-app/overlays/prod', kustomize: { components: ['../../components/missing'] } },
      tools,
    );
    expect(!missing.ok && missing.error.message).toContain('component ../../components/missing not found');
    const escape = await renderSource(
      root,
      { path: 'kustomize-app/overlays/prod', kustomize: { patches: [{ path: '../../../../../etc/passwd' }] } },
      tools,
    );
    expect(!escape.ok && escape.error.message).toMatch(/outside the repository/);
  });

  it('renders Argo CD helm options: fileParameters, ignoreMissingValueFiles, kubeVersion reaching helm', async () => {
    const result = await renderSource(
      root,
      {
        path: 'helm-app',
        helm: {
          valueFiles: ['nope.yaml', 'values-prod.yaml'],
          ignoreMissingValueFiles: true,
          fileParameters: [{ name: 'extra', path: 'values-prod.yaml' }],
          kubeVersion: '1.30.0',
          skipTests: true,
        },
      },
      tools,
    );
    const cm = find(result, 'ConfigMap', 'helm-app-config') as { data: Record<string, string> } | undefined;
    expect(cm?.data.extra).toContain('greeting');
    const bad = await renderSource(root, { path: 'helm-app', helm: { kubeVersion: 'not-a-version' } }, tools);
    expect(!bad.ok && bad.error.tool).toBe('helm');
    const outside = await renderSource(
      root,
      { path: 'helm-app', helm: { fileParameters: [{ name: 'x', path: '../../etc/passwd' }] } },
      tools,
    );
    expect(!outside.ok && outside.error.message).toMatch(/outside the repository/);
  });

  it('turns a broken kustomization into an error value with kustomize’s message', async () => {
    const result = await renderSource(root, { path: 'kustomize-broken' }, tools);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.tool).toBe('kustomize');
    expect(result.error.message).toMatch(/does-not-exist\.yaml/);
    expect(result.error.message).not.toContain(root);
  });

  it('turns helm mistakes into error values: missing dependency, missing value file, bad template input', async () => {
    const dep = await renderSource(root, { path: 'helm-missing-dep' }, tools);
    expect(!dep.ok && dep.error).toMatchObject({
      tool: 'helm',
      message: expect.stringMatching(/missing in charts\/ directory: redis/),
    });
    const values = await renderSource(root, { path: 'helm-app', helm: { valueFiles: ['nope.yaml'] } }, tools);
    expect(!values.ok && values.error.message).toBe(
      'value file nope.yaml not found in the chart folder (set helm.ignoreMissingValueFiles to skip missing ones)',
    );
    const escape = await renderSource(root, { path: 'helm-app', helm: { valueFiles: ['../../../etc/passwd'] } }, tools);
    expect(!escape.ok && escape.error.message).toMatch(/outside the repository/);
    const inline = await renderSource(root, { path: 'helm-app', helm: { values: 'greeting: [unclosed' } }, tools);
    expect(!inline.ok && inline.error.tool).toBe('helm');
  });

  it('reports a missing path and bad YAML as error values', async () => {
    const missing = await renderSource(root, { path: 'nope' }, tools);
    expect(!missing.ok && missing.error.message).toBe('path "nope" does not exist in the repository');
    const outside = await renderSource(root, { path: '../..' }, tools);
    expect(outside.ok).toBe(false);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-badyaml-'));
    try {
      await writeFile(path.join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
      await writeFile(
        path.join(dir, 'bad.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n   oops: [\n',
      );
      const bad = await renderSource(dir, { path: '.' }, tools);
      expect(!bad.ok && bad.error.message).toMatch(/^bad\.yaml line \d+: invalid YAML/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses renderings over 10 MB, from helm and from a directory', async () => {
    const helm = await renderSource(
      root,
      { path: 'helm-huge', helm: { parameters: [{ name: 'count', value: '11' }] } },
      tools,
    );
    expect(!helm.ok && helm.error).toEqual({ tool: 'helm', message: 'rendered manifests exceed 10 MB' });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-huge-'));
    try {
      const doc = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {blob: "${'x'.repeat(1024 * 1024)}"}\n`;
      for (let i = 0; i < 11; i += 1) await writeFile(path.join(dir, `f${i}.yaml`), doc);
      const big = await renderSource(dir, { path: '' }, tools);
      expect(!big.ok && big.error.message).toBe('rendered manifests exceed 10 MB');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('caches renderings by repository, SHA, path and options', async () => {
    const cache = createRenderCache({ maxEntries: 10 });
    const sha = await repo.sha();
    const source = { path: 'helm-app', helm: { releaseName: 'c' } };
    const key = renderCacheKey({ repoUrl: repo.url, sha, source });
    let renders = 0;
    const render = () => {
      renders += 1;
      return renderSource(root, source, tools);
    };
    const t0 = performance.now();
    const first = await cache.getOrRender(key, render);
    const coldMs = performance.now() - t0;
    const t1 = performance.now();
    const second = await cache.getOrRender(
      renderCacheKey({ repoUrl: `${repo.url}/`, sha, source: { helm: { releaseName: 'c' }, path: 'helm-app/' } }),
      render,
    );
    const warmMs = performance.now() - t1;
    expect(renders).toBe(1);
    expect(second).toEqual(first);
    console.info(`helm render: cold ${coldMs.toFixed(0)} ms, cached ${warmMs.toFixed(2)} ms`);
  });
});
