import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { TAppDiff, TApplication, TApplicationSummary } from '../../lib/schemas/applications';
import { CliError, request, send } from '../client';
import { resolveTarget } from '../config';
import { print, type OutputFormat } from '../output';
import { confirm } from '../prompt';
import { ZApplication, ZApplicationList, ZHistoryList } from '../../lib/schemas/application-responses';
import { ZAppDiffAnswer } from '../responses';
import { documentFromFlags, documentsFromYaml, UsageError, type CreateFlags } from './app-document';
import { formatApp, formatAppList, formatDiff, formatHistory } from './app-format';
import { registerAppOperations } from './app-sync';
import { registerAppLogs } from './app-logs';
import { appPath, pollApp } from './app-wait';
import { errorMessage } from '../../lib/domain/error-message';

type Globals = () => { server?: string; token?: string; output: OutputFormat };
const collect = (value: string, previous: string[]) => [...previous, value];

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new CliError(`Cannot read ${file}: ${errorMessage(err)}`, 2);
  }
}

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UsageError) throw new CliError(err.message, 2);
    throw err;
  }
}

/** `keelson app …`, after `argocd app …`. `rawOutput` tells -o wide from the table. */
export function registerApp(program: Command, globals: Globals, rawOutput: () => string | undefined): void {
  const app = program.command('app').description('Applications (Argo CD model): Git → cluster');
  const target = () => resolveTarget(globals());

  app
    .command('create [name]')
    .description('Create applications from Argo CD YAML (-f, multi-document) or from flags')
    .option('-f, --file <file>', 'Application YAML or JSON (- for stdin); several documents create several apps')
    .option('--repo <url>', 'Git repository URL')
    .option('--path <path>', 'path in the repository', '')
    .option('--revision <rev>', 'branch, tag, SHA or HEAD', 'HEAD')
    .option('--project <name>', 'project', 'default')
    .option('--dest-cluster <name>', 'a registered cluster (argocd: --dest-name)')
    .option('--dest-server <url>', 'a registered cluster, by API server URL')
    .option('--dest-namespace <ns>', 'target namespace')
    .option('--sync-policy <policy>', 'automated or none')
    .option('--self-heal', 'with automated: repair live drift')
    .option('--auto-prune', 'with automated: delete resources no longer in Git')
    .option('--allow-empty', 'with automated: allow syncing to an empty set of resources')
    .option('--sync-option <Name=value>', 'e.g. CreateNamespace=true; repeatable', collect, [])
    .option('--helm-set <k=v>', 'a Helm parameter; repeatable', collect, [])
    .option('--helm-set-string <k=v>', 'a Helm string parameter; repeatable', collect, [])
    .option('--values-file <path>', 'a Helm values file in the repository; repeatable', collect, [])
    .option('--values-literal-file <file>', 'a local YAML file sent as inline Helm values')
    .option('--release-name <name>', 'Helm release name')
    .option('--directory-recurse', 'read plain YAML folders recursively')
    .option('--upsert', 'replace the spec of an app that already exists')
    .action(
      async (
        name: string | undefined,
        f: CreateFlags & { file?: string; upsert?: boolean; valuesLiteralFile?: string },
      ) => {
        const docs = usage(() => {
          if (f.file && name) throw new UsageError('give either -f FILE or NAME with flags, not both');
          if (f.file) return documentsFromYaml(readInput(f.file), f.file);
          if (!name) throw new UsageError('give NAME and --repo/--dest-cluster, or -f app.yaml');
          return [documentFromFlags(name, f, f.valuesLiteralFile ? readInput(f.valuesLiteralFile) : undefined)];
        });
        for (const doc of docs) {
          const created = await request(
            target(),
            'POST',
            `/api/v1/applications${f.upsert ? '?upsert=true' : ''}`,
            ZApplication,
            doc,
          );
          print(
            globals().output,
            created,
            () =>
              `application/${created.metadata.name} ${f.upsert ? `upserted (generation ${created.metadata.generation})` : 'created'}`,
          );
        }
      },
    );

  app
    .command('list')
    .description('List applications (-o wide adds repo, path, target and revision)')
    .option('--health <status>', 'Healthy, Progressing, Degraded, Suspended, Missing, Unknown')
    .option('--sync <status>', 'Synced, OutOfSync, Unknown')
    .option('--cluster <name>', 'only this destination cluster')
    .option('--namespace <ns>', 'only this destination namespace')
    .option('--search <text>', 'name contains')
    .action(async (f: { health?: string; sync?: string; cluster?: string; namespace?: string; search?: string }) => {
      const items: TApplicationSummary[] = [];
      for (let offset = 0; ;) {
        const q = new URLSearchParams({
          limit: '500',
          offset: String(offset),
          ...Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)),
        });
        const page = await request(target(), 'GET', `/api/v1/applications?${q}`, ZApplicationList);
        items.push(...page.items);
        offset += page.items.length;
        if (page.items.length === 0 || offset >= page.total) break;
      }
      print(globals().output, items, () => formatAppList(items, rawOutput() === 'wide'));
    });

  app
    .command('get <name>')
    .description('Show an application and its resources')
    .option('--refresh', 'compare with Git and the cluster first')
    .option('--hard-refresh', 'refresh, re-rendering the manifests without cache')
    .option('--timeout <seconds>', 'how long to wait for a refresh', '60')
    .action(async (name: string, f: { refresh?: boolean; hardRefresh?: boolean; timeout: string }) => {
      let shown: TApplication | undefined;
      if (f.refresh || f.hardRefresh) {
        await send(target(), 'POST', appPath(name, '/refresh'), { hard: Boolean(f.hardRefresh) });
        shown = await pollApp(target(), name, (a) => !a.status.refreshRequested, Number(f.timeout) || 60);
        if (!shown)
          console.error(
            'warning: the refresh has not happened yet (is the gitops controller running?); showing the last status',
          );
      }
      const result = shown ?? (await request(target(), 'GET', appPath(name), ZApplication));
      print(globals().output, result, () => formatApp(result, target().server));
    });

  app
    .command('diff <name>')
    .description('Show what a sync would change; exit 1 when there is a diff, 0 when none, 2 on error')
    .option('--revision <rev>', 'compare the live state with this branch, tag or SHA instead of the last comparison')
    .action(async (name: string, f: { revision?: string }) => {
      let diff: TAppDiff;
      try {
        diff = await request(
          target(),
          'GET',
          appPath(name, f.revision ? `/diff?revision=${encodeURIComponent(f.revision)}` : '/diff'),
          ZAppDiffAnswer,
        );
      } catch (err) {
        // 1 means "there is a diff" here, as with argocd app diff; errors get 2.
        throw new CliError(errorMessage(err), 2);
      }
      print(globals().output, diff, () => formatDiff(diff));
      process.exitCode = diff.hasDiff ? 1 : 0;
    });

  app
    .command('history <name>')
    .description('Deployment history (ids for rollback), newest first')
    .action(async (name: string) => {
      const { items } = await request(target(), 'GET', appPath(name, '/history'), ZHistoryList);
      print(globals().output, items, () => formatHistory(items));
    });

  app
    .command('unpin <name>')
    .description('Follow targetRevision again after a rollback (auto-sync resumes)')
    .action(async (name: string) => {
      await send(target(), 'POST', appPath(name, '/unpin'));
      console.log(`application/${name} unpinned`);
    });

  app
    .command('terminate-op <name>')
    .description('Terminate the running operation')
    .action(async (name: string) => {
      await send(target(), 'DELETE', appPath(name, '/operation'));
      console.log(`application/${name} operation terminating`);
    });

  app
    .command('delete <name>')
    .description(
      'Delete an application and, as argocd does by default, its resources in the cluster; --cascade=false keeps them',
    )
    .option(
      '--cascade [bool]',
      "delete the app's resources from the cluster too; --cascade=false keeps them",
      parseCascade,
      true,
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (name: string, f: { cascade: boolean; yes?: boolean }) => {
      if (!f.yes) {
        if (!process.stdin.isTTY) throw new CliError('refusing to delete without confirmation: pass --yes', 2);
        if (
          !(await confirm(
            `Delete application '${name}'${f.cascade ? ' and all its resources' : ' (its resources stay in the cluster)'}?`,
          ))
        )
          return;
      }
      await send(target(), 'DELETE', appPath(name, `?cascade=${f.cascade}`));
      console.log(
        f.cascade
          ? `application/${name} deletion requested (its resources are deleted first)`
          : `application/${name} deleted`,
      );
    });

  registerAppOperations(app, globals);
  registerAppLogs(app, globals);
}

/** `--cascade`, `--cascade=true` or `--cascade=false`, as argocd spells it. */
function parseCascade(value: string | boolean): boolean {
  if (value === true || value === 'true') return true;
  if (value === 'false') return false;
  throw new CliError(`--cascade must be true or false, not "${value}"`, 2);
}
