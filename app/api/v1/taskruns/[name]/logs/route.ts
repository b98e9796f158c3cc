import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { deps } from '@/lib/server/context';
import { findAuthorizedTaskRun } from '@/lib/server/pipeline/find-task-run';
import { readLogs } from '@/lib/server/pipeline/task-run-logs';
import { route } from '../../../../_lib/handler';

/** The whole stored log of a TaskRun: JSON chunks, or plain text with `?format=text` (for download). */
export const GET = route(
  { contract: pipelineContracts['/api/v1/taskruns/{name}/logs'].get },
  async ({ params, query, principal }) => {
    const run = await findAuthorizedTaskRun(deps(), principal, String(params.name), { logs: true });
    const chunks = [];
    for (let after = 0; ;) {
      const page = await readLogs(deps(), run.id, after, 1000);
      chunks.push(...page);
      if (page.length < 1000) break;
      after = page[page.length - 1].id;
    }
    // Housekeeping deleted the lines (KEELSON_LOG_RETENTION_DAYS): say so rather than answer an empty log.
    const removedAt = run.logsRemovedAt?.toISOString();
    if (query.format !== 'text')
      return { taskRun: run.name, chunks, ...(removedAt ? { logsRemovedAt: removedAt } : {}) };
    const text = removedAt
      ? `The logs of ${run.name} were removed by retention at ${removedAt} (KEELSON_LOG_RETENTION_DAYS).`
      : chunks.flatMap((c) => c.lines.map((l) => `${l.at} [${c.step}] ${l.text}`)).join('\n');
    return new Response(`${text}\n`, {
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'content-disposition': `attachment; filename="${run.name}.log"`,
      },
    });
  },
);
