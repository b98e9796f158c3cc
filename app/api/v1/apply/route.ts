import { BODY_LIMITS } from '@/lib/domain/http/body-limits';
import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { engineDeps, repoMirrors, secrets } from '@/lib/server/context';
import { applyDocuments, type RunStarter, type StartedRun } from '@/lib/server/pipeline/apply-documents';
import { createTaskRun } from '@/lib/server/pipeline/create-task-run';
import { createRefFetcher } from '@/lib/server/pipeline/ref-fetcher';
import { dispatchRun } from '@/lib/server/pipeline/dispatch-run';
import { createPipelineRun } from '@/lib/server/pipeline/create-pipeline-run';
import { route } from '../../_lib/handler';
import { jsonOrBadRequest } from '../../_lib/read-json-body';
import { readTextBody } from '../../_lib/read-text-body';

/** Tekton YAML (multi-document) or the same shapes as JSON; answers one line per document. */
export const POST = route(
  { contract: pipelineContracts['/api/v1/apply'].post, status: 201 },
  async ({ req, principal }) => {
    const text = await readTextBody(req, BODY_LIMITS.apply);
    let input: unknown = text;
    if ((req.headers.get('content-type') ?? '').includes('json')) {
      input = jsonOrBadRequest(
        text,
        'Send YAML with Content-Type: application/yaml, or valid JSON nested at most 64 levels.',
      );
    }
    const ed = engineDeps();
    // Each run is queued in the apply transaction: no run without its job, no job for a run rolled back.
    const startRun: RunStarter = async (tx, doc, i) => {
      const run: StartedRun =
        doc.kind === 'PipelineRun'
          ? {
              kind: 'PipelineRun',
              ...(await createPipelineRun(tx, doc, principal.username, ed.now(), `documents[${i}].spec`)),
            }
          : { kind: 'TaskRun', ...(await createTaskRun(ed, tx, doc, `documents[${i}].spec`)) };
      await dispatchRun(tx.jobs, run);
      return run;
    };
    return applyDocuments(ed, principal, input, secrets(), startRun, createRefFetcher(ed, secrets(), repoMirrors()));
  },
);
