import type { Command } from 'commander';
import type { TApplication, TOperationState } from '../../lib/schemas/applications';
import { ZOperationState } from '../../lib/schemas/application-responses';
import { CliError, request } from '../client';
import { resolveTarget, type Target } from '../config';
import type { OutputFormat } from '../output';
import { parseResourceFlag } from './app-document';
import { formatResult } from './app-format';
import { appPath, pollApp, waitReached } from './app-wait';
import { errorMessage } from '../../lib/domain/error-message';

type Globals = () => { server?: string; token?: string; output: OutputFormat };
const collect = (value: string, previous: string[]) => [...previous, value];

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new CliError(`--timeout must be a number of seconds, not "${value}"`, 2);
  return n;
}

/**
 * Follows one operation (by id, so a newer auto-sync cannot hide it) to its end, printing each
 * resource result once, then its phase and message. Exit code 0 only when it Succeeded; 1 when it
 * failed or the timeout passed.
 */
async function followOperation(
  target: Target,
  name: string,
  op: TOperationState,
  timeoutSeconds: number,
  output: OutputFormat,
): Promise<void> {
  const printed = new Set<string>();
  const deadline = timeoutSeconds > 0 ? Date.now() + timeoutSeconds * 1000 : Infinity;
  let state = op;
  for (;;) {
    state = await request(target, 'GET', appPath(name, `/operation?id=${encodeURIComponent(op.id)}`), ZOperationState);
    for (const r of output === 'json' ? [] : (state.syncResult?.resources ?? [])) {
      const line = formatResult(r);
      if (!printed.has(line)) console.log(line);
      printed.add(line);
    }
    if (state.finishedAt || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (!state.finishedAt) {
    console.error(`error: operation on ${name} still ${state.phase} after ${timeoutSeconds}s`);
    process.exitCode = 1;
    return;
  }
  if (output === 'json') console.log(JSON.stringify(state, null, 2));
  else
    console.log(
      `\nOperation: ${state.operation.rollbackTo !== undefined ? `Rollback to ${state.operation.rollbackTo}` : 'Sync'}\nRevision:  ${state.syncResult?.revision ?? state.operation.sync.revision}\nPhase:     ${state.phase}\nMessage:   ${state.message}`,
    );
  if (state.phase !== 'Succeeded') process.exitCode = 1;
}

/** `keelson app sync|wait|rollback`: the commands that start or wait for an operation. */
export function registerAppOperations(app: Command, globals: Globals): void {
  const target = () => resolveTarget(globals());

  app
    .command('sync <name>')
    .description('Sync an application; waits for the operation and exits non-zero if it fails')
    .option('--prune', 'delete resources no longer in Git')
    .option('--dry-run', 'preview the apply without changing the cluster')
    .option('--resource <KIND:NAME>', 'sync only this resource (KIND:NAME or GROUP:KIND:NAME); repeatable', collect, [])
    .option('--revision <rev>', 'branch, tag or SHA to sync (default: the pinned revision, else targetRevision)')
    .option(
      '--sync-option <Name=value>',
      'extra sync option for this operation, e.g. ApplyOutOfSyncOnly=true; repeatable',
      collect,
      [],
    )
    .option('--async', 'do not wait for the operation')
    .option('--timeout <seconds>', 'give up waiting after this long (0: never)', '0')
    .action(
      async (
        name: string,
        f: {
          prune?: boolean;
          dryRun?: boolean;
          resource: string[];
          revision?: string;
          syncOption: string[];
          async?: boolean;
          timeout: string;
        },
      ) => {
        let resources;
        try {
          resources = f.resource.length ? f.resource.map(parseResourceFlag) : undefined;
        } catch (err) {
          throw new CliError(errorMessage(err), 2);
        }
        const timeout = seconds(f.timeout);
        const op = await request(target(), 'POST', appPath(name, '/sync'), ZOperationState, {
          prune: Boolean(f.prune),
          dryRun: Boolean(f.dryRun),
          resources,
          revision: f.revision,
          syncOptions: f.syncOption,
        });
        console.error(`application/${name} sync requested (revision ${op.operation.sync.revision})`);
        if (!f.async) await followOperation(target(), name, op, timeout, globals().output);
      },
    );

  app
    .command('wait <name>')
    .description('Wait until the application is synced, healthy and idle (or only what the flags name)')
    .option('--health', 'wait for Healthy')
    .option('--sync', 'wait for Synced')
    .option('--operation', 'wait for the running operation to finish')
    .option('--timeout <seconds>', 'give up after this long, exit 1 (0: never)', '0')
    .action(async (name: string, f: { health?: boolean; sync?: boolean; operation?: boolean; timeout: string }) => {
      let last: TApplication | undefined;
      const reached = await pollApp(
        target(),
        name,
        (a) => waitReached(a, f),
        seconds(f.timeout),
        (a) => (last = a),
      );
      const s = (reached ?? last)?.status;
      const summary = `sync ${s?.sync.status ?? '?'}, health ${s?.health.status ?? '?'}${s?.operationState ? `, operation ${s.operationState.phase}` : ''}`;
      if (reached) console.log(`application/${name}: ${summary}`);
      else {
        console.error(`error: timed out after ${f.timeout}s waiting for ${name} (${summary})`);
        process.exitCode = 1;
      }
    });

  app
    .command('rollback <name> <id>')
    .description('Roll back to a history id and pin the app there (auto-sync holds until `keelson app unpin`)')
    .option('--reason <text>', 'shown on the pinned banner')
    .option('--prune', 'delete resources not in that revision')
    .option('--dry-run', 'preview only (pins nothing)')
    .option('--async', 'do not wait for the operation')
    .option('--timeout <seconds>', 'give up waiting after this long (0: never)', '0')
    .action(
      async (
        name: string,
        id: string,
        f: { reason?: string; prune?: boolean; dryRun?: boolean; async?: boolean; timeout: string },
      ) => {
        if (!/^\d+$/.test(id))
          throw new CliError(`ID must be a history id (see \`keelson app history ${name}\`), not "${id}"`, 2);
        const timeout = seconds(f.timeout);
        const op = await request(target(), 'POST', appPath(name, '/rollback'), ZOperationState, {
          id: Number(id),
          reason: f.reason,
          prune: Boolean(f.prune),
          dryRun: Boolean(f.dryRun),
        });
        console.error(
          `application/${name} rolling back to ${id} (${op.operation.sync.revision.slice(0, 7)})${f.dryRun ? ' (dry run)' : ', pinned'}`,
        );
        if (!f.async) await followOperation(target(), name, op, timeout, globals().output);
      },
    );
}
