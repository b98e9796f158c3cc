import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { errorMessage } from '../../lib/domain/error-message';
import type { TAppProject } from '../../lib/domain/gitops/projects';
import { ZAppliedProject, ZProjectList } from '../../lib/schemas/projects';
import { CliError, request, send } from '../client';
import { resolveTarget } from '../config';
import { formatTable, print } from '../output';
import { registerProjRole, registerProjWindows } from './proj-role';

/** The project as the server answers it (its metadata carries server fields such as creationTimestamp). */
const ZProjectAnswer = ZProjectList.shape.items.element;

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new CliError(`Cannot read ${file}: ${errorMessage(err)}`, 2);
  }
}

const list = (values: readonly string[] | undefined) => (values?.length ? values.join(',') : '<none>');
const groupKinds = (values: readonly { group: string; kind: string }[] | undefined) =>
  list(values?.map((g) => `${g.group || '""'}/${g.kind}`));

function formatProjectList(items: readonly TAppProject[]): string {
  return formatTable(
    [
      'NAME',
      'DESCRIPTION',
      'DESTINATIONS',
      'SOURCES',
      'CLUSTER-RESOURCE-WHITELIST',
      'NAMESPACE-RESOURCE-BLACKLIST',
      'ROLES',
    ],
    items.map(({ metadata, spec }) => [
      metadata.name,
      spec.description ?? '',
      list(spec.destinations?.map((d) => `${d.server ?? d.name ?? '*'},${d.namespace ?? '*'}`)),
      list(spec.sourceRepos),
      groupKinds(spec.clusterResourceWhitelist),
      groupKinds(spec.namespaceResourceBlacklist),
      list(spec.roles?.map((r) => r.name)),
    ]),
  );
}

/** `keelson proj …`, after `argocd proj …`. Output `-o yaml|json` is read here (the global -o knows only json). */
export function registerProj(program: Command): void {
  const opts = () => program.opts<{ server?: string; token?: string; output?: string }>();
  const target = () => resolveTarget(opts());
  const format = () => (opts().output === 'json' ? 'json' : 'table');
  const proj = program.command('proj').description('Projects (Argo CD AppProjects): what apps and pipelines may do');

  proj
    .command('create')
    .description('Create a project from an AppProject file (argoproj.io/v1alpha1, as Argo CD accepts it)')
    .requiredOption('-f, --file <file>', 'an AppProject YAML or JSON file (- for stdin)')
    .option('--upsert', 'replace the project if it exists with another spec')
    .action(async (flags: { file: string; upsert?: boolean }) => {
      const path = `/api/v1/projects${flags.upsert ? '?upsert=true' : ''}`;
      const applied = await request(target(), 'POST', path, ZAppliedProject, readInput(flags.file), 'application/yaml');
      for (const w of applied.warnings) console.error(`Warning: ${w.path}: ${w.message}`);
      print(format(), applied, () => `project '${applied.project.metadata.name}' ${applied.action}`);
    });

  proj
    .command('list')
    .description('List the projects you may see')
    .action(async () => {
      const { items } = await request(target(), 'GET', '/api/v1/projects', ZProjectList);
      print(format(), items, () => formatProjectList(items));
    });

  proj
    .command('get <name>')
    .description('Show a project (-o yaml or -o json for the whole AppProject)')
    .action(async (name: string) => {
      const project = await request(target(), 'GET', `/api/v1/projects/${encodeURIComponent(name)}`, ZProjectAnswer);
      const output = opts().output;
      if (output === 'yaml') return console.log(stringify(project, { lineWidth: 0 }).trimEnd());
      print(format(), project, () =>
        [
          `Name:                        ${project.metadata.name}`,
          `Description:                 ${project.spec.description ?? ''}`,
          `Destinations:                ${list(project.spec.destinations?.map((d) => `${d.server ?? d.name},${d.namespace ?? '*'}`))}`,
          `Repositories:                ${list(project.spec.sourceRepos)}`,
          `Allowed Cluster Resources:   ${groupKinds(project.spec.clusterResourceWhitelist)}`,
          `Denied Namespaced Resources: ${groupKinds(project.spec.namespaceResourceBlacklist)}`,
          `Roles:                       ${list(project.spec.roles?.map((r) => r.name))}`,
          `Sync Windows:                ${project.spec.syncWindows?.length ?? 0}`,
        ].join('\n'),
      );
    });

  proj
    .command('delete <name>')
    .description('Delete a project (not default, nor one that applications or pipelines still belong to)')
    .action(async (name: string) => {
      await send(target(), 'DELETE', `/api/v1/projects/${encodeURIComponent(name)}`);
      console.log(`project '${name}' deleted`);
    });

  registerProjWindows(proj, target, format);
  registerProjRole(proj, target, format);
}
