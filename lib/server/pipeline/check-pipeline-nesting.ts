import { MAX_PIPELINE_NESTING } from '@/lib/domain/pipeline/child-pipeline-run';
import { pipelineNestingIssues, pipelineRefNames } from '@/lib/domain/pipeline/pipeline-nesting';
import type { TPipelineSpec, TResource } from '@/lib/domain/pipeline/spec-schemas';
import type { FieldIssue } from '@/lib/errors';
import { projectOfDocument } from './pipeline-access';
import type { DefinitionStore } from './ports';
import { latestInProject, pipelineSpecOf } from './stored-definitions';

/**
 * Apply-time checks of Pipelines in Pipelines (pipeline-nesting.ts) for the Pipelines and PipelineRuns of a
 * file: pipelineRefs name Pipelines of the document's project (in the file or stored; the file's version
 * wins), with no cycle and no nesting deeper than MAX_PIPELINE_NESTING.
 */
export async function checkPipelineNesting(store: DefinitionStore, resources: TResource[]): Promise<FieldIssue[]> {
  const out: FieldIssue[] = [];
  for (const [doc, r] of resources.entries()) {
    const spec = r.kind === 'Pipeline' ? r.spec : r.kind === 'PipelineRun' ? r.spec.pipelineSpec : undefined;
    if (!spec || pipelineRefNames(spec).length === 0) continue;
    const project = projectOfDocument(r);
    const known = new Map<string, TPipelineSpec>();
    const elsewhere = new Map<string, string>();
    for (const other of resources)
      if (other.kind === 'Pipeline' && projectOfDocument(other) === project)
        known.set(other.metadata.name!, other.spec);
    // Loads the referenced Pipelines level by level, as deep as a chain may go before it is refused.
    let wanted = pipelineRefNames(spec).filter((n) => !known.has(n));
    for (let level = 0; level <= MAX_PIPELINE_NESTING && wanted.length > 0; level++) {
      const stored = await latestInProject(store, 'Pipeline', wanted, project);
      for (const [name, d] of stored.found) known.set(name, pipelineSpecOf(d));
      for (const [name, owner] of stored.elsewhere) elsewhere.set(name, owner);
      wanted = [...stored.found.keys()].flatMap((n) => pipelineRefNames(known.get(n)!)).filter((n) => !known.has(n));
    }
    const issues = pipelineNestingIssues(
      spec,
      r.kind === 'Pipeline' ? r.metadata.name : undefined,
      { pipeline: (n) => known.get(n), elsewhere: (n) => elsewhere.get(n), project },
      r.kind === 'Pipeline' ? 'spec' : 'spec.pipelineSpec',
    );
    out.push(...issues.map((i) => ({ path: `documents[${doc}].${i.path}`, message: `${i.message} (${i.hint})` })));
  }
  return out;
}
