import { deps } from '@/lib/server/context';
import { streamTaskRunLogs } from '@/lib/server/pipeline/stream-task-run-logs';
import { route } from '../../../../../_lib/handler';

export const dynamic = 'force-dynamic';

/**
 * Server-sent events: every stored chunk from `Last-Event-ID` (or the start), then new chunks as they arrive,
 * then `event: end` once the TaskRun has finished and its log is drained. The caller's right to read the log
 * is asked again about every 30 s; a refusal is an `event: error` naming what was refused, and the end.
 */
export const GET = route({}, async ({ params, req, principal }) => {
  const after = Number(req.headers.get('last-event-id') ?? 0) || 0;
  const events = await streamTaskRunLogs(deps(), principal, String(params.name), { after, signal: req.signal });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      send('retry: 1000\n\n');
      try {
        for await (const e of events) {
          send(`${e.event === 'chunk' ? `id: ${e.id}\n` : ''}event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
        }
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
