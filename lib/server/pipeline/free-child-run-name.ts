import { generatedName } from './generated-name';
import type { PipelineRecords } from './ports';

/** Names are at most 253 characters; a suffix takes 6 ('-' and five). */
const MAX_NAME = 253;
const TRIES = 5;

/**
 * The name of a child PipelineRun (Pipelines in Pipelines): `<parent>-<task>`, as upstream names it, or, when a
 * PipelineRun already holds that name, that name with a random suffix (`<parent>-<task>-x7k2p`, as Kubernetes'
 * generateName). Run names are unique across projects, so a user of another project could take `<parent>-<task>`
 * before the parent exists and make the parent's task fail; the parent finds its children by parent_run_id and
 * parent_task, never by name. When no free name is found the creation fails with its CONFLICT.
 */
export async function freeChildRunName(
  runs: Pick<PipelineRecords['runs'], 'findByName'>,
  name: string,
): Promise<string> {
  if (!(await runs.findByName(name))) return name;
  const prefix = `${name.slice(0, MAX_NAME - 6)}-`;
  for (let i = 0; i < TRIES; i++) {
    const next = generatedName(prefix);
    if (!(await runs.findByName(next))) return next;
  }
  return name;
}
