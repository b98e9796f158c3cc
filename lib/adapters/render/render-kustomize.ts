/**
 * `kustomize build`. Argo CD applies namePrefix/nameSuffix/images/commonLabels with
 * `kustomize edit` inside its working copy; the checkout here is a shared read-only cache,
 * so the options go into a temporary overlay whose only resource is the source folder.
 * (Difference: an overlay namePrefix is added to the folder's own prefix instead of replacing it.)
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { insideCheckout } from './confine-path';
import { checkKustomizeRefs } from './kustomize-refs';
import { parseManifests } from './parse-manifests';
import { runTool, toolMessage } from './run-tool';
import { parseKustomizeImage } from './tool-args';
import { DEFAULT_MAX_BYTES, renderFailure, TOO_LARGE_MESSAGE, type KustomizeOptions, type ToolRenderer } from './types';

function hasOptions(o: KustomizeOptions): boolean {
  return Boolean(
    o.namePrefix ||
    o.nameSuffix ||
    o.images?.length ||
    o.namespace ||
    o.replicas?.length ||
    o.patches?.length ||
    o.components?.length ||
    Object.keys(o.commonLabels ?? {}).length ||
    Object.keys(o.commonAnnotations ?? {}).length,
  );
}

/** The overlay's kustomization, or an error message for an option that points outside the checkout or at nothing. */
async function overlay(
  dir: string,
  from: string,
  root: string,
  o: KustomizeOptions,
): Promise<{ yaml: string } | { error: string }> {
  const doc: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [path.relative(from, dir)],
  };
  if (o.namePrefix) doc.namePrefix = o.namePrefix;
  if (o.nameSuffix) doc.nameSuffix = o.nameSuffix;
  if (o.namespace) doc.namespace = o.namespace;
  if (o.images?.length) doc.images = o.images.map(parseKustomizeImage);
  if (Object.keys(o.commonLabels ?? {}).length) {
    // Argo CD: `kustomize edit add label` (selectors and templates too), or --without-selector [--include-templates].
    const withoutSelector = o.labelWithoutSelector === true;
    doc.labels = [
      {
        pairs: o.commonLabels,
        includeSelectors: !withoutSelector,
        includeTemplates: withoutSelector ? o.labelIncludeTemplates === true : true,
      },
    ];
  }
  if (Object.keys(o.commonAnnotations ?? {}).length) doc.commonAnnotations = o.commonAnnotations;
  if (o.replicas?.length) doc.replicas = o.replicas.map((r) => ({ name: r.name, count: Number(r.count) }));
  if (o.patches?.length) {
    const patches = [];
    for (const p of o.patches) {
      let text = p.patch;
      if (p.path !== undefined) {
        // A file patch is read here and inlined: the overlay lives outside the checkout.
        const full = await insideCheckout(root, dir, p.path);
        if (!full) return { error: `patch ${p.path} is outside the repository` };
        text = await readFile(full, 'utf8').catch(() => undefined);
        if (text === undefined) return { error: `patch ${p.path} not found in the source folder` };
      }
      if (!text) return { error: 'a kustomize patch needs patch or path' };
      const target = p.target && Object.fromEntries(Object.entries(p.target).filter(([, v]) => v !== undefined));
      patches.push({
        patch: text,
        ...(target && Object.keys(target).length ? { target } : {}),
        ...(p.options ? { options: p.options } : {}),
      });
    }
    doc.patches = patches;
  }
  if (o.components?.length) {
    const components = [];
    for (const c of o.components) {
      const full = await insideCheckout(root, dir, c);
      if (!full) return { error: `component ${c} is outside the repository` };
      if (
        !(await stat(full).then(
          (s) => s.isDirectory(),
          () => false,
        ))
      ) {
        if (o.ignoreMissingComponents) continue;
        return {
          error: `component ${c} not found in the source folder (set kustomize.ignoreMissingComponents to skip missing ones)`,
        };
      }
      components.push(path.relative(from, full));
    }
    if (components.length) doc.components = components;
  }
  return { yaml: stringify(doc) };
}

export const renderKustomize: ToolRenderer<KustomizeOptions> = async (dir, options, kustomizeBin, limits = {}) => {
  const fail = (message: string) => renderFailure('kustomize', message);
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const sandbox = limits.sandbox ?? {};
  const refs = await checkKustomizeRefs(path.resolve(limits.root ?? dir), dir, sandbox.allowedHosts ?? []);
  if (!refs.ok) return fail(refs.message);
  const home = await mkdtemp(path.join(os.tmpdir(), 'keelson-kustomize-'));
  try {
    let target = dir;
    if (hasOptions(options)) {
      target = path.join(home, 'overlay');
      await mkdir(target);
      const made = await overlay(dir, target, path.resolve(limits.root ?? dir), options);
      if ('error' in made) return fail(made.error);
      await writeFile(path.join(target, 'kustomization.yaml'), made.yaml);
    }
    // Remote bases (allow-listed hosts only) are cloned by git over https; nothing else may be fetched.
    const gitEnv: Record<string, string> = refs.remote
      ? { GIT_ALLOW_PROTOCOL: 'https', GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' }
      : {};
    const run = await runTool(kustomizeBin, ['build', '--load-restrictor', 'LoadRestrictionsRootOnly', target], {
      cwd: dir,
      env: { HOME: home, XDG_CONFIG_HOME: home, TMPDIR: '/tmp', ...gitEnv },
      maxBytes,
      timeoutMs: limits.timeoutMs ?? 60_000,
      confine: { sandbox, root: path.resolve(limits.root ?? dir), scratch: home, network: refs.remote },
    });
    if (run.tooLarge) return fail(TOO_LARGE_MESSAGE);
    if (run.code !== 0) {
      const root = limits.root ?? dir;
      const shown = path.relative(root, dir) || '.';
      const replacements: [string, string][] = [
        [`${target}/`, ''],
        [target, '<options overlay>'],
        [path.relative(target, dir), shown],
      ];
      return fail(toolMessage(run, 'kustomize', root, target === dir ? [] : replacements));
    }
    const parsed = parseManifests(run.stdout, 'kustomize output');
    return parsed.ok ? { ok: true, tool: 'kustomize', objects: parsed.objects } : fail(parsed.message);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
};
