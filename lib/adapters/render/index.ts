export { renderSource } from './render-source';
export { renderDirectory } from './render-directory';
export { renderKustomize } from './render-kustomize';
export { renderHelm } from './render-helm';
export { detectTool } from './detect-tool';
export { parseManifests } from './parse-manifests';
export { createRenderCache, renderCacheKey, type RenderCache, type RenderCacheKeyInput } from './render-cache';
export * from './types';
export { findRenderTools, findTool } from './find-tools';
