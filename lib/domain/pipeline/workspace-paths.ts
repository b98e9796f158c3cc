import { z } from 'zod';
import { substituteString, type Scope } from './substitute';
import type { ValidationError } from './validation-error';

/**
 * The rules a workspace path must follow before any folder is made for it (issue 10, hole 2).
 * A subPath (and a ConfigMap or Secret `items[].path`) is a relative path that stays inside its
 * workspace; a mountPath is an absolute container path outside the executor's own folders; a claim
 * name is a DNS-1123 label. Encoded forms such as `%2e%2e` are ordinary names: nothing decodes them.
 * These are lexical checks; the executor still walks every folder without following symlinks.
 */

export const MAX_NAME_BYTES = 255;
export const MAX_PATH_BYTES = 4096;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const bytes = (s: string) => new TextEncoder().encode(s).length;
const shown = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

export const SUBPATH_HINT =
  'give a relative path inside the workspace, such as "cache/npm", without "..", a leading "/", backslashes or NUL bytes';
export const CLAIM_HINT =
  'use the PersistentVolumeClaim\'s name: lowercase letters, digits and "-", at most 63 characters, starting and ending with a letter or digit';

/** What is wrong with a relative path inside a workspace, or undefined when it is fine. */
export function subPathProblem(value: string): string | undefined {
  if (value.includes('\0')) return 'contains a NUL byte';
  if (value.includes('\\')) return 'contains a backslash';
  if (value.startsWith('/')) return 'is absolute';
  if (bytes(value) > MAX_PATH_BYTES) return `is longer than ${MAX_PATH_BYTES} bytes`;
  const segments = value.split('/');
  if (segments.includes('..')) return 'contains ".."';
  if (segments.some((s) => bytes(s) > MAX_NAME_BYTES)) return `has a folder name longer than ${MAX_NAME_BYTES} bytes`;
  return undefined;
}

/** The same for a subPath that may still hold `$(…)` references: each one counts as a plain name until it is substituted. */
export function templateSubPathProblem(value: string): string | undefined {
  return subPathProblem(value.replace(/\$\([^)]*\)/g, 'x'));
}

/** The folder names of a checked subPath, with empty and `.` segments dropped (`./a//b/` is `a/b`). */
export function subPathSegments(value: string | undefined): string[] {
  return (value ?? '').split('/').filter((s) => s !== '' && s !== '.');
}

export function subPathMessage(field: string, value: string, problem: string): string {
  return `${field} ${shown(value)} ${problem}: ${SUBPATH_HINT}`;
}

export function isClaimName(value: string): boolean {
  return DNS_1123_LABEL.test(value);
}

/** Container paths the executor itself provides, where no workspace may go. */
const RESERVED = ['/tekton', '/proc', '/dev'];

/**
 * Folders the sandbox's own start-up runs from before a step's privileges are dropped (setpriv,
 * unshare, the dynamic loader and their libraries): a mount at, above or in one would let a step's
 * files run with the worker's privileges, so nothing is mounted there.
 */
const SANDBOX_TOOLS = [
  ...['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'],
  ...['/usr/bin', '/usr/sbin', '/usr/lib', '/usr/lib32', '/usr/lib64', '/usr/libx32', '/usr/libexec'],
  ...['/etc/ld.so.cache', '/etc/ld.so.preload', '/etc/ld.so.conf', '/etc/ld.so.conf.d'],
];

function sandboxToolsProblem(p: string): string | undefined {
  const hit = ['/usr', '/etc'].includes(p) ? p : SANDBOX_TOOLS.find((t) => p === t || p.startsWith(`${t}/`));
  return hit
    ? `would cover ${hit}, which the sandbox runs its own tools from; mount it in a folder of its own, such as /config or /workspace/<name>`
    : undefined;
}

/** What is wrong with a workspace mountPath, or undefined when it is fine. */
export function mountPathProblem(value: string): string | undefined {
  if (value.includes('\0')) return 'contains a NUL byte';
  if (!value.startsWith('/')) return 'is relative; give an absolute container path such as /workspace/cache';
  if (value.split('/').includes('..')) return 'contains ".."; write the path without it';
  if (bytes(value) > MAX_PATH_BYTES) return `is longer than ${MAX_PATH_BYTES} bytes`;
  const p = normaliseContainerPath(value);
  if (p === '/') return 'is the root folder; mount the workspace in a folder of its own, such as /workspace/cache';
  if (p === '/workspace') return 'is /workspace itself, which holds every workspace; use /workspace/<name>';
  const reserved = RESERVED.find((r) => p === r || p.startsWith(`${r}/`));
  if (reserved) return `lies under ${reserved}, which the executor provides; use a folder such as /workspace/<name>`;
  return sandboxToolsProblem(p);
}

/** `/a//b/./c/` becomes `/a/b/c`; `..` is not resolved (mountPathProblem refuses it). */
export function normaliseContainerPath(p: string): string {
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  return `/${parts.join('/')}`;
}

/** Index pairs [inner, outer] of mount paths that lie inside another one (or repeat it). */
export function nestedMountPaths(paths: readonly (string | undefined)[]): [number, number][] {
  const norm = paths.map((p) => (p === undefined ? undefined : normaliseContainerPath(p)));
  const out: [number, number][] = [];
  norm.forEach((inner, i) => {
    if (inner === undefined) return;
    const outer = norm.findIndex(
      (o, j) => j !== i && o !== undefined && (inner.startsWith(`${o === '/' ? '' : o}/`) || (o === inner && j < i)),
    );
    if (outer >= 0) out.push([i, outer]);
  });
  return out;
}

/** zod refinements, so that apply answers 400 with the field's path and nothing is stored. */
export const ZSubPath = z.string().superRefine((v, ctx) => {
  const problem = templateSubPathProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: subPathMessage('subPath', v, problem) });
});

export const ZItemPath = z
  .string()
  .min(1)
  .superRefine((v, ctx) => {
    const problem = subPathProblem(v);
    if (problem)
      ctx.addIssue({
        code: 'custom',
        message: subPathMessage('items path', v, problem).replace('inside the workspace', 'inside the volume'),
      });
  });

export const ZClaimName = z
  .string()
  .refine(isClaimName, { message: `claimName must be a DNS-1123 label: ${CLAIM_HINT}` });

/** The problem with a mountPath that may hold `$(…)` references, each counted as a plain name until substituted. */
export function templateMountPathProblem(v: string): string | undefined {
  // A leading reference may give an absolute path (`$(params.dir)`, `$(workspaces.w.path)/x`).
  return mountPathProblem(v.replace(/^\$\([^)]*\)/, '/x').replace(/\$\([^)]*\)/g, 'x'));
}

/** A Task workspace mountPath may use params and context (upstream's ApplyReplacements); checked again once substituted. */
export const ZTemplateMountPath = z.string().superRefine((v, ctx) => {
  const problem = templateMountPathProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: `mountPath ${shown(v)} ${problem}` });
});

/** A Task workspace's mountPath once substituted, with the error that fails the TaskRun when it is not a fit path. */
export function resolveMountPath(
  raw: string | undefined,
  name: string,
  scope: Scope,
  task: string,
): { mountPath: string; error?: ValidationError } {
  const mountPath = raw === undefined ? `/workspace/${name}` : substituteString(raw, scope);
  // Literal paths were checked by the schema; a substituted one is checked here, as the executor will mount it.
  const problem = raw?.includes('$(') ? mountPathProblem(mountPath) : undefined;
  if (!problem) return { mountPath };
  const message = `mountPath ${shown(mountPath)} of workspace "${name}" ${problem}`;
  const hint = `Give the param in ${raw} an absolute path such as /workspace/${name}.`;
  return { mountPath, error: { reason: 'TaskRunValidationFailed', task, path: 'spec.workspaces', message, hint } };
}

/** Errors for substituted mountPaths that lie inside another workspace's (the schema checks the literal ones). */
export function nestedMountPathErrors(plans: readonly { name: string; mountPath: string }[], task: string) {
  return nestedMountPaths(plans.map((p) => p.mountPath)).map(([inner, outer]): ValidationError => ({
    reason: 'TaskRunValidationFailed',
    task,
    path: 'spec.workspaces',
    message: `mountPath "${plans[inner].mountPath}" of workspace "${plans[inner].name}" lies inside workspace "${plans[outer].name}"`,
    hint: 'Give each workspace its own folder side by side, such as /workspace/<name>.',
  }));
}

export const ZMountPath = z.string().superRefine((v, ctx) => {
  const problem = mountPathProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: `mountPath ${shown(v)} ${problem}` });
});

export const ZWorkingDir = z.string().refine((v) => !v.includes('\0'), {
  message: 'workingDir contains a NUL byte: give a plain path such as /workspace/source',
});
