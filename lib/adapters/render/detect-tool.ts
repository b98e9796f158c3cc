import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { RenderSourceSpec, RenderTool } from './types';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const isFile = (p: string) =>
  stat(p).then(
    (s) => s.isFile(),
    () => false,
  );

/** Chart.yaml → helm; a kustomization file → kustomize; anything else → directory. */
export async function detectTool(dir: string): Promise<RenderTool> {
  if (await isFile(path.join(dir, 'Chart.yaml'))) return 'helm';
  for (const name of KUSTOMIZATION_FILES) if (await isFile(path.join(dir, name))) return 'kustomize';
  return 'directory';
}

/** The tool named by the source's options, if exactly one is named; an error if several are. */
export function explicitTool(source: RenderSourceSpec): RenderTool | 'conflict' | null {
  const named = (['helm', 'kustomize', 'directory'] as const).filter(
    (tool) => source[tool] !== undefined && source[tool] !== null,
  );
  if (named.length > 1) return 'conflict';
  return named[0] ?? null;
}
