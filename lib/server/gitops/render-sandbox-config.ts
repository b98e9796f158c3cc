import type { RenderSandboxConfig } from '@/lib/adapters/render';
import type { TEnv } from '@/lib/env';

/**
 * How helm and kustomize are confined, from configuration (see lib/adapters/render/sandbox.ts).
 * Renders run as `nobody`, not as the step user: a step that escaped its own sandbox must not
 * own a render's scratch folder (inline Helm values may hold secrets).
 */
export function renderSandboxConfig(e: TEnv): RenderSandboxConfig {
  return { allowUnsandboxed: e.KEELSON_ALLOW_UNSANDBOXED === 'true', allowedHosts: e.KEELSON_RENDER_ALLOWED_HOSTS };
}
