import {
  ZPipelineSpec,
  ZStepActionSpec,
  ZTaskSpec,
  type TPipelineSpec,
  type TStepActionSpec,
  type TTaskSpec,
} from '@/lib/domain/pipeline/spec-schemas';
import type { TDefinitionDocument } from '@/lib/domain/pipeline/stored-schemas';
import type { DefinitionStore } from './ports';

/** Stored definitions are read through the DefinitionStore port (ports.ts); these are their shapes and specs. */
export type DefinitionKind = 'Task' | 'Pipeline' | 'StepAction';

export interface StoredDefinition {
  kind: DefinitionKind;
  name: string;
  /** The project (Tekton: metadata.namespace) it belongs to. */
  project: string;
  version: number;
  document: TDefinitionDocument;
}

// A stored definition's spec, parsed with its kind's schema (once per definition loaded).
export const pipelineSpecOf = (d: StoredDefinition): TPipelineSpec => ZPipelineSpec.parse(d.document.spec);
export const taskSpecOf = (d: StoredDefinition | undefined): TTaskSpec | undefined =>
  d && ZTaskSpec.parse(d.document.spec);
export const stepActionSpecOf = (d: StoredDefinition | undefined): TStepActionSpec | undefined =>
  d && ZStepActionSpec.parse(d.document.spec);

/**
 * The newest version of each named definition of `kind` in `project` (names are unique across projects, so a
 * definition of another project is one that project owns), and for those of another project, its name.
 */
export async function latestInProject(
  store: Pick<DefinitionStore, 'latest'>,
  kind: DefinitionKind,
  names: readonly string[],
  project: string,
): Promise<{ found: Map<string, StoredDefinition>; elsewhere: Map<string, string> }> {
  const all = await store.latest(kind, [...new Set(names)]);
  const found = new Map<string, StoredDefinition>();
  const elsewhere = new Map<string, string>();
  for (const [name, d] of all) {
    if (d.project === project) found.set(name, d);
    else elsewhere.set(name, d.project);
  }
  return { found, elsewhere };
}
