/** Shapes of an Application source (Argo CD field names) and of a rendering. */
import type { RenderSandboxConfig } from './sandbox';

export type RenderTool = 'directory' | 'kustomize' | 'helm';

/** A parsed manifest: any object with apiVersion and kind (validated further by callers). */
export interface KubeObjectLike {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface DirectoryOptions {
  recurse?: boolean;
  /** Glob on the path relative to the source path; `*` also crosses `/`; `{a,b}` alternatives. */
  include?: string;
  exclude?: string;
}

export interface KustomizeOptions {
  namePrefix?: string;
  nameSuffix?: string;
  /** `kustomize edit set image` syntax: `nginx:1.25`, `nginx=registry/nginx:1.25`, `app=app@sha256:…`. */
  images?: string[];
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  namespace?: string;
  /** commonLabels on metadata only, not on selectors (and on pod templates with labelIncludeTemplates). */
  labelWithoutSelector?: boolean;
  labelIncludeTemplates?: boolean;
  replicas?: { name: string; count: number | string }[];
  /** Inline `patch` text or a `path` relative to the source folder, with an optional target. */
  patches?: {
    patch?: string;
    path?: string;
    target?: Record<string, string | undefined>;
    options?: Record<string, boolean>;
  }[];
  /** Component folders relative to the source folder. */
  components?: string[];
  ignoreMissingComponents?: boolean;
}

export interface HelmParameter {
  name: string;
  value: string;
  /** Use `--set-string` (the value stays a string). */
  forceString?: boolean;
}

export interface HelmOptions {
  /** Paths relative to the chart folder; they must stay inside the checkout. */
  valueFiles?: string[];
  /** Inline values YAML; applied after valueFiles. */
  values?: string;
  /** `--set` / `--set-string`; applied last. */
  parameters?: HelmParameter[];
  releaseName?: string;
  namespace?: string;
  /** `--set-file name=path`, the path relative to the chart folder and inside the checkout. */
  fileParameters?: { name: string; path: string }[];
  /** Skip value files that do not exist instead of failing. */
  ignoreMissingValueFiles?: boolean;
  /** Leave the chart's crds/ out (default: included, as Argo CD does). */
  skipCrds?: boolean;
  skipSchemaValidation?: boolean;
  skipTests?: boolean;
  kubeVersion?: string;
  apiVersions?: string[];
}

export interface RenderSourceSpec {
  /** Folder inside the checkout ('' or '.' for the root). */
  path: string;
  directory?: DirectoryOptions;
  kustomize?: KustomizeOptions;
  helm?: HelmOptions;
}

export interface RenderError {
  tool: RenderTool;
  message: string;
}

export type RenderResult =
  { ok: true; tool: RenderTool; objects: KubeObjectLike[] } | { ok: false; error: RenderError };

/** A rendering by `tool` that failed, and why. */
export function renderFailure(tool: RenderTool, message: string): RenderResult {
  return { ok: false, error: { tool, message } };
}

/** Renders the folder `dir` with a tool (`bin`) and its options, within `limits`. */
export type ToolRenderer<O> = (dir: string, options: O, bin: string, limits?: ToolLimits) => Promise<RenderResult>;

/** What one helm or kustomize run may see and use: the checkout root, bytes of output, time, confinement. */
export interface ToolLimits {
  root?: string;
  maxBytes?: number;
  timeoutMs?: number;
  sandbox?: RenderSandboxConfig;
}

export interface RenderTools {
  helmBin: string;
  kustomizeBin: string;
  /** Refuse renderings larger than this (default 10 MB). */
  maxBytes?: number;
  /** Kill helm/kustomize after this long (default 60 s). */
  timeoutMs?: number;
  /** How the tools are confined; default: bubblewrap required, no remote bases. */
  sandbox?: RenderSandboxConfig;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const TOO_LARGE_MESSAGE = 'rendered manifests exceed 10 MB';
