import {
  ZPipelineSpec,
  ZStepActionSpec,
  ZTaskSpec,
  type TPipelineSpec,
  type TStepActionSpec,
  type TTaskSpec,
} from '@/lib/domain/pipeline/spec-schemas';
import type { TDefinitionDocument } from '@/lib/domain/pipeline/stored-schemas';

/** Stored definitions are read through the DefinitionStore port (ports.ts); these are their shapes and specs. */
export type DefinitionKind = 'Task' | 'Pipeline' | 'StepAction';

export interface StoredDefinition {
  kind: DefinitionKind;
  name: string;
  version: number;
  document: TDefinitionDocument;
}

// A stored definition's spec, parsed with its kind's schema (once per definition loaded).
export const pipelineSpecOf = (d: StoredDefinition): TPipelineSpec => ZPipelineSpec.parse(d.document.spec);
export const taskSpecOf = (d: StoredDefinition | undefined): TTaskSpec | undefined =>
  d && ZTaskSpec.parse(d.document.spec);
export const stepActionSpecOf = (d: StoredDefinition | undefined): TStepActionSpec | undefined =>
  d && ZStepActionSpec.parse(d.document.spec);
