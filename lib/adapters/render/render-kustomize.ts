/**
 * `kustomize build`. Argo CD applies namePrefix/nameSuffix/images/commonLabels with
 * `kustomize edit` inside its working copy; the checkout here is a shared read-only cache,
 * so the options go into a temporary overlay whose only resource is the source folder.
 * (Difference: an overlay namePrefix is added to the folder's own prefix instead of replacing it.)
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { parseManifests } from './parse-manifests';
import { runTool, toolMessage } from './run-tool';
import { parseKustomizeImage } from './tool-args';
import { DEFAULT_MAX_BYTES, TOO_LARGE_MESSAGE, type KustomizeOptions, type RenderResult } from './types';

function hasOptions(o: KustomizeOptions): boolean {
  return Boolean(
    o.namePrefix || o.nameSuffix || o.images?.length || o.namespace ||
      Object.keys(o.commonLabels ?? {}).length || Object.keys(o.commonAnnotations ?? {}).length,
  );
}

function overlay(dir: string, from: string, o: KustomizeOptions): string {
  const doc: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [path.relative(from, dir)],
  };
  if (o.namePrefix) doc.namePrefix = o.namePrefix;
  if (o.nameSuffix) doc.nameSuffix = o.nameSuffix;
  if (o.namespace) doc.namespace = o.namespace;
  if (o.images?.length) doc.images = o.images.map(parseKustomizeImage);
  if (Object.keys(o.commonLabels ?? {}).length) doc.labels = [{ pairs: o.commonLabels, includeSelectors: true, includeTemplates: true }];
  if (Object.keys(o.commonAnnotations ?? {}).length) doc.commonAnnotations = o.commonAnnotations;
  return stringify(doc);
}

export async function renderKustomize(
  dir: string,
  options: KustomizeOptions,
  kustomizeBin: string,
  limits: { root?: string; maxBytes?: number; timeoutMs?: number } = {},
): Promise<RenderResult> {
  const fail = (message: string): RenderResult => ({ ok: false, error: { tool: 'kustomize', message } });
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const home = await mkdtemp(path.join(os.tmpdir(), 'keelson-kustomize-'));
  try {
    let target = dir;
    if (hasOptions(options)) {
      target = path.join(home, 'overlay');
      await mkdir(target);
      await writeFile(path.join(target, 'kustomization.yaml'), overlay(dir, target, options));
    }
    const run = await runTool(kustomizeBin, ['build', target], {
      cwd: dir,
      env: { HOME: home, XDG_CONFIG_HOME: home },
      maxBytes,
      timeoutMs: limits.timeoutMs ?? 60_000,
    });
    if (run.tooLarge) return fail(TOO_LARGE_MESSAGE);
    if (run.code !== 0) {
      const root = limits.root ?? dir;
      const shown = path.relative(root, dir) || '.';
      const replacements: [string, string][] = [[`${target}/`, ''], [target, '<options overlay>'], [path.relative(target, dir), shown]];
      return fail(toolMessage(run, 'kustomize', root, target === dir ? [] : replacements));
    }
    const parsed = parseManifests(run.stdout, 'kustomize output');
    return parsed.ok ? { ok: true, tool: 'kustomize', objects: parsed.objects } : fail(parsed.message);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
