/**
 * `helm template` of a chart folder, offline: no repositories, no dependency update. Value
 * files are relative to the chart and must stay inside the checkout; inline values come
 * after them and parameters last, as in Argo CD.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { yamlTooDeep } from '@/lib/domain/http/bounded-parse';
import { insideCheckout } from './confine-path';
import { parseManifests } from './parse-manifests';
import { runTool, toolMessage } from './run-tool';
import { helmSetFlags } from './tool-args';
import { DEFAULT_MAX_BYTES, renderFailure, TOO_LARGE_MESSAGE, type HelmOptions, type ToolRenderer } from './types';

const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A `file://` chart dependency must stay inside the checkout (helm would read it from this host). */
async function localDependencyProblem(root: string, dir: string): Promise<string | undefined> {
  let chart: unknown;
  try {
    const text = await readFile(path.join(dir, 'Chart.yaml'), 'utf8');
    if (yamlTooDeep(text)) return undefined; // helm reports it; our parser must not recurse that deep
    chart = parse(text, { maxAliasCount: 100 });
  } catch {
    return undefined; // helm reports a broken Chart.yaml itself
  }
  const deps =
    typeof chart === 'object' && chart !== null && Array.isArray((chart as { dependencies?: unknown }).dependencies)
      ? (chart as { dependencies: unknown[] }).dependencies
      : [];
  for (const [i, dep] of deps.entries()) {
    const repo = typeof dep === 'object' && dep !== null ? (dep as { repository?: unknown }).repository : undefined;
    if (typeof repo !== 'string' || !repo.startsWith('file://')) continue;
    if (!(await insideCheckout(root, dir, repo.slice('file://'.length))))
      return `Chart.yaml dependencies[${i}].repository "${repo}" is outside the repository`;
  }
  return undefined;
}

export const renderHelm: ToolRenderer<HelmOptions> = async (dir, options, helmBin, limits = {}) => {
  const fail = (message: string) => renderFailure('helm', message);
  const root = path.resolve(limits.root ?? dir);
  const depProblem = await localDependencyProblem(root, dir);
  if (depProblem) return fail(depProblem);
  const releaseName =
    options.releaseName ||
    path
      .basename(dir)
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-');
  if (!RELEASE_NAME.test(releaseName) || releaseName.length > 53) {
    return fail(`release name "${releaseName}" is invalid: use at most 53 lower-case letters, digits and '-'`);
  }
  const args = [
    'template',
    releaseName,
    dir,
    options.skipCrds ? '--skip-crds' : '--include-crds',
    '--namespace',
    options.namespace || 'default',
  ];
  if (options.skipSchemaValidation) args.push('--skip-schema-validation');
  if (options.skipTests) args.push('--skip-tests');
  if (options.kubeVersion) args.push('--kube-version', options.kubeVersion);
  for (const v of options.apiVersions ?? []) args.push('--api-versions', v);
  const inside = (file: string) => insideCheckout(root, dir, file);
  for (const file of options.valueFiles ?? []) {
    if (/^[a-z]+:\/\//i.test(file)) return fail(`value file ${file}: remote value files are not supported`);
    const full = await inside(file);
    if (!full) return fail(`value file ${file} is outside the repository`);
    if (
      !(await stat(full).then(
        (s) => s.isFile(),
        () => false,
      ))
    ) {
      if (options.ignoreMissingValueFiles) continue;
      return fail(
        `value file ${file} not found in the chart folder (set helm.ignoreMissingValueFiles to skip missing ones)`,
      );
    }
    args.push('--values', full);
  }
  const fileSets: string[] = [];
  for (const p of options.fileParameters ?? []) {
    const full = await inside(p.path);
    if (!full) return fail(`file parameter ${p.name}: ${p.path} is outside the repository`);
    if (
      !(await stat(full).then(
        (s) => s.isFile(),
        () => false,
      ))
    )
      return fail(`file parameter ${p.name}: ${p.path} not found in the chart folder`);
    fileSets.push('--set-file', `${p.name}=${full}`);
  }
  const home = await mkdtemp(path.join(os.tmpdir(), 'keelson-helm-'));
  try {
    if (options.values?.trim()) {
      const inline = path.join(home, 'inline-values.yaml');
      await writeFile(inline, options.values, { mode: 0o600 });
      args.push('--values', inline);
    }
    args.push(...helmSetFlags(options.parameters ?? []), ...fileSets);
    const run = await runTool(helmBin, args, {
      cwd: dir,
      env: {
        HOME: home,
        HELM_CACHE_HOME: path.join(home, 'cache'),
        HELM_CONFIG_HOME: path.join(home, 'config'),
        HELM_DATA_HOME: path.join(home, 'data'),
      },
      maxBytes: limits.maxBytes ?? DEFAULT_MAX_BYTES,
      timeoutMs: limits.timeoutMs ?? 60_000,
      confine: { sandbox: limits.sandbox ?? {}, root, scratch: home },
    });
    if (run.tooLarge) return fail(TOO_LARGE_MESSAGE);
    if (run.code !== 0)
      return fail(toolMessage(run, 'helm', root, [[`${home}/inline-values.yaml`, '<inline values>']]));
    const parsed = parseManifests(run.stdout, 'helm output');
    return parsed.ok ? { ok: true, tool: 'helm', objects: parsed.objects } : fail(parsed.message);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
};
