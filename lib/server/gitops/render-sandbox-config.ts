import type { RenderSandboxConfig } from '@/lib/adapters/render';
import { env, type TEnv } from '@/lib/env';

/** How helm and kustomize are confined, from configuration (see lib/adapters/render/sandbox.ts). */
export function renderSandboxConfig(e: TEnv = env()): RenderSandboxConfig {
  return { allowUnsandboxed: e.KEELSON_ALLOW_UNSANDBOXED === 'true', allowedHosts: e.KEELSON_RENDER_ALLOWED_HOSTS, user: e.KEELSON_STEP_USER };
}
