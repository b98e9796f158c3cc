import type { Command } from 'commander';
import { z } from 'zod';
import { ZPodLogEnd, ZPodLogError, ZPodLogLine } from '../../lib/schemas/pod-logs';
import { CLI_USER_AGENT, CliError } from '../client';
import { resolveTarget, type Target } from '../config';
import type { OutputFormat } from '../output';
import { readEvents } from '../sse';
import { appPath } from './app-wait';
import { logsQuery, type LogsFlags } from './app-logs-args';
import { forTerminal, lineFilter } from './app-logs-terminal';

type Globals = () => { server?: string; token?: string; output: OutputFormat };

const ZErrorAnswer = z.object({
  error: z.object({
    message: z.string(),
    hint: z.string().optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/** The server's message for a refused request (JSON before the stream), as the other commands print it. */
async function refusal(res: Response): Promise<CliError> {
  const text = await res.text();
  let parsed;
  try {
    parsed = ZErrorAnswer.safeParse(JSON.parse(text)).data?.error;
  } catch {
    // not JSON
  }
  const lines = [`${res.status}: ${parsed?.message ?? (text.slice(0, 300) || res.statusText)}`];
  for (const i of parsed?.issues ?? []) lines.push(`  ${i.path}: ${i.message}`);
  if (parsed?.hint) lines.push(parsed.hint);
  return new CliError(lines.join('\n'));
}

/** Streams the log to stdout until it ends, the server reports an error, or Ctrl-C (which ends quietly). */
async function printLogs(
  target: Target,
  app: string,
  query: URLSearchParams,
  o: { timestamps: boolean; raw: boolean },
): Promise<void> {
  const clean = lineFilter({ isTTY: Boolean(process.stdout.isTTY), raw: o.raw });
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    let res: Response;
    try {
      res = await fetch(`${target.server}${appPath(app, `/logs?${query}`)}`, {
        headers: {
          accept: 'text/event-stream',
          'user-agent': CLI_USER_AGENT,
          ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
        },
        signal: stop.signal,
      });
    } catch (err) {
      if (stop.signal.aborted) return;
      throw new CliError(`Cannot reach ${target.server}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!res.ok) throw await refusal(res);
    for await (const ev of readEvents(res)) {
      if (ev.event === 'log') {
        const l = ZPodLogLine.parse(JSON.parse(ev.data));
        process.stdout.write(o.timestamps && l.timestamp ? `${l.timestamp} ${clean(l.line)}\n` : `${clean(l.line)}\n`);
      } else if (ev.event === 'error') {
        throw new CliError(forTerminal(ZPodLogError.parse(JSON.parse(ev.data)).message));
      } else if (ev.event === 'end') {
        ZPodLogEnd.parse(JSON.parse(ev.data));
        return;
      }
    }
  } catch (err) {
    // Ctrl-C while streaming: the fetch body is aborted; that is the end the user asked for.
    if (stop.signal.aborted && !(err instanceof CliError)) return;
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** `keelson app logs NAME --kind Deployment --name X [-f]`, as `argocd app logs` / `kubectl logs`. */
export function registerAppLogs(app: Command, globals: Globals): void {
  app
    .command('logs <app>')
    .description("Print a container log of one of the app's pods (a Pod, or a pod of a workload)")
    .option('--kind <kind>', 'Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet or Job', 'Pod')
    .option('--name <name>', 'the name of the Pod or workload (required)')
    .option('--group <group>', "the kind's API group (default: the kind's own)")
    .option('--namespace <ns>', "the resource's namespace (default: the app's destination namespace)")
    .option('--pod <pod>', 'for a workload: which of its pods (default: the newest)')
    .option('-c, --container <name>', "the container (default: the pod's default container)")
    .option('-f, --follow', 'keep printing new lines until the container ends (Ctrl-C stops)')
    .option('-p, --previous', "the previous (restarted) container's log")
    .option('--timestamps', 'prefix each line with its timestamp')
    .option('--tail <lines>', 'the last N lines (server default 1000, at most 100000)')
    .option('--since <duration>', 'only lines newer than this: 30s, 10m, 2h')
    .option(
      '--raw',
      "on a terminal, print the pod's escape sequences as they are (by default only colours are kept: no clipboard, " +
        'link, title or cursor sequences); output to a pipe or file is always as it is',
    )
    .action(async (appName: string, f: LogsFlags) => {
      const query = logsQuery(f);
      if (!(query instanceof URLSearchParams)) throw new CliError(query.usage, 2);
      await printLogs(resolveTarget(globals()), appName, query, {
        timestamps: Boolean(f.timestamps),
        raw: Boolean(f.raw),
      });
    });
}
