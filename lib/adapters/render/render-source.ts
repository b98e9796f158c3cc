/**
 * Renders an Application source inside a checkout: picks the tool (explicit options, else
 * detection), runs it, and returns objects or an error value with the tool's message.
 * User mistakes (bad YAML, failing kustomize/helm, a missing path) never throw.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { detectTool, explicitTool } from './detect-tool';
import { renderDirectory } from './render-directory';
import { renderHelm } from './render-helm';
import { renderKustomize } from './render-kustomize';
import {
  DEFAULT_MAX_BYTES,
  TOO_LARGE_MESSAGE,
  type RenderResult,
  type RenderSourceSpec,
  type RenderTools,
} from './types';

export async function renderSource(
  checkoutDir: string,
  source: RenderSourceSpec,
  tools: RenderTools,
): Promise<RenderResult> {
  const root = await realpath(checkoutDir).catch(() => path.resolve(checkoutDir));
  const rel = (source.path ?? '').replace(/^\/+/, '') || '.';
  const dir = path.resolve(root, rel);
  const named = explicitTool(source);
  const tool = named === 'conflict' ? 'directory' : named;
  const fail = (message: string, t = tool ?? 'directory'): RenderResult => ({ ok: false, error: { tool: t, message } });
  if (named === 'conflict') return fail('the source names more than one of helm, kustomize and directory; keep one');
  const inside = dir === root || dir.startsWith(root + path.sep);
  if (
    !inside ||
    !(await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    return fail(`path "${source.path}" does not exist in the repository`);
  const limits = {
    root,
    maxBytes: tools.maxBytes ?? DEFAULT_MAX_BYTES,
    timeoutMs: tools.timeoutMs,
    sandbox: tools.sandbox,
  };
  try {
    const chosen = tool ?? (await detectTool(dir));
    if (chosen === 'helm') return await renderHelm(dir, source.helm ?? {}, tools.helmBin, limits);
    if (chosen === 'kustomize') return await renderKustomize(dir, source.kustomize ?? {}, tools.kustomizeBin, limits);
    return await renderDirectory(dir, source.directory ?? {}, limits);
  } catch (error) {
    // Filesystem surprises (unreadable files, races with cleanup) become a visible error too.
    const message = error instanceof Error ? error.message.split(root + path.sep).join('') : String(error);
    return fail(message);
  }
}

export { TOO_LARGE_MESSAGE };
