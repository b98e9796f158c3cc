import { MAX_PIPELINE_NESTING } from '@/lib/domain/pipeline/child-pipeline-run';
import { pipelineNestingIssues, pipelineRefNames, type NestingMemo } from '@/lib/domain/pipeline/pipeline-nesting';
import type { TPipelineSpec, TResource } from '@/lib/domain/pipeline/spec-schemas';
import type { FieldIssue } from '@/lib/errors';
import { projectOfDocument } from './pipeline-access';
import type { DefinitionStore } from './ports';
import { latestInProject, pipelineSpecOf } from './stored-definitions';

/**
 * Apply-time checks of Pipelines in Pipelines (pipeline-nesting.ts) for the Pipelines and PipelineRuns of a
 * file: pipelineRefs name Pipelines of the document's project (in the file or stored; the file's version
 * wins), with no cycle and no nesting deeper than MAX_PIPELINE_NESTING. The documents of one project share what
 * was loaded and walked (a file of many Pipelines running the same ones walks those once).
 */
export async function checkPipelineNesting(store: DefinitionStore, resources: TResource[]): Promise<FieldIssue[]> {
  const out: FieldIssue[] = [];
  const projects = new Map<string, ProjectWalk>();
  for (const [doc, r] of resources.entries()) {
    const spec = r.kind === 'Pipeline' ? r.spec : r.kind === 'PipelineRun' ? r.spec.pipelineSpec : undefined;
    if (!spec || pipelineRefNames(spec).length === 0) continue;
    const project = projectOfDocument(r);
    if (!projects.has(project)) projects.set(project, projectWalk(resources, project));
    const { known, elsewhere, memo } = projects.get(project)!;
    // Loads the referenced Pipelines level by level (through the file's own too), as deep as a chain may go
    // before it is refused.
    const seen = new Set<string>();
    let next = pipelineRefNames(spec);
    for (let level = 0; level <= MAX_PIPELINE_NESTING && next.length > 0; level++) {
      const fresh = [...new Set(next)].filter((n) => !seen.has(n));
      for (const n of fresh) seen.add(n);
      const wanted = fresh.filter((n) => !known.has(n));
      if (wanted.length > 0) {
        const stored = await latestInProject(store, 'Pipeline', wanted, project);
        for (const [name, d] of stored.found) known.set(name, pipelineSpecOf(d));
        for (const [name, owner] of stored.elsewhere) elsewhere.set(name, owner);
      }
      next = fresh.flatMap((n) => (known.has(n) ? pipelineRefNames(known.get(n)!) : []));
    }
    const issues = pipelineNestingIssues(
      spec,
      r.kind === 'Pipeline' ? r.metadata.name : undefined,
      { pipeline: (n) => known.get(n), elsewhere: (n) => elsewhere.get(n), project },
      r.kind === 'Pipeline' ? 'spec' : 'spec.pipelineSpec',
      memo,
    );
    out.push(...issues.map((i) => ({ path: `documents[${doc}].${i.path}`, message: `${i.message} (${i.hint})` })));
  }
  return out;
}

interface ProjectWalk {
  /** The project's Pipelines loaded so far, the file's first. */
  known: Map<string, TPipelineSpec>;
  /** For names not in the project: the other project holding one. */
  elsewhere: Map<string, string>;
  memo: NestingMemo;
}

function projectWalk(resources: TResource[], project: string): ProjectWalk {
  const known = new Map<string, TPipelineSpec>();
  for (const other of resources)
    if (other.kind === 'Pipeline' && projectOfDocument(other) === project) known.set(other.metadata.name!, other.spec);
  return { known, elsewhere: new Map(), memo: new Map() };
}
