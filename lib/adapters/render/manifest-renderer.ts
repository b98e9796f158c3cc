/** The renderers behind one interface (the gitops ManifestRenderer port), with the tools found at start. */
import { detectTool } from './detect-tool';
import { renderSource } from './render-source';
import type { RenderSourceSpec, RenderTools } from './types';

export function createManifestRenderer(tools: RenderTools) {
  return {
    render: (root: string, source: RenderSourceSpec) => renderSource(root, source, tools),
    detect: (dir: string) => detectTool(dir),
  };
}
