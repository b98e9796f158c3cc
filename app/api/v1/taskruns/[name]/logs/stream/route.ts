import { deps } from '@/lib/server/context';
import { findAuthorizedTaskRun, findTaskRun, isTaskRunFinished } from '@/lib/server/pipeline/find-task-run';
import { readLogs } from '@/lib/server/pipeline/task-run-logs';
import { route } from '../../../../../_lib/handler';

export const dynamic = 'force-dynamic';
const POLL_MS = 150;

/**
 * Server-sent events: every stored chunk from `Last-Event-ID` (or the start), then new chunks as
 * they arrive, then `event: end` once the TaskRun has finished and its log is drained.
 */
export const GET = route({}, async ({ params, req, principal }) => {
  const name = String(params.name);
  const first = await findAuthorizedTaskRun(deps(), principal, name, { logs: true });
  let after = Number(req.headers.get('last-event-id') ?? 0) || 0;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      send('retry: 1000\n\n');
      try {
        for (let finished = isTaskRunFinished(first); !req.signal.aborted;) {
          const chunks = await readLogs(deps(), first.id, after);
          for (const c of chunks) {
            send(`id: ${c.id}\nevent: chunk\ndata: ${JSON.stringify(c)}\n\n`);
            after = c.id;
          }
          if (finished && chunks.length === 0) break;
          if (chunks.length === 0) {
            await new Promise((r) => setTimeout(r, POLL_MS));
            finished = isTaskRunFinished(await findTaskRun(deps(), name));
          }
        }
        send('event: end\ndata: {}\n\n');
      } catch (err) {
        send(
          `event: error\ndata: ${JSON.stringify({ message: err instanceof Error ? err.message : String(err) })}\n\n`,
        );
      } finally {
        controller.close();
      }
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    },
  });
});
