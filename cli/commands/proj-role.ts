import type { Command } from 'commander';
import { ZCreatedProjectToken, ZProjectTokenList, ZProjectWindows } from '../../lib/schemas/projects';
import { request, send } from '../client';
import type { Target } from '../config';
import { formatTable, print, type OutputFormat } from '../output';

const globs = (values: readonly string[] | undefined) => (values?.length ? values.join(',') : '-');
const path = (...parts: string[]) => `/api/v1/projects/${parts.map(encodeURIComponent).join('/')}`;

/** `keelson proj windows list NAME`: the sync windows and whether each is active now, as `argocd proj windows list`. */
export function registerProjWindows(proj: Command, target: () => Target, format: () => OutputFormat): void {
  const windows = proj.command('windows').description("A project's sync windows");
  windows
    .command('list <project>')
    .description('List the sync windows of a project and whether each is active now')
    .action(async (project: string) => {
      const { items } = await request(target(), 'GET', path(project, 'windows'), ZProjectWindows);
      print(format(), items, () =>
        formatTable(
          ['KIND', 'SCHEDULE', 'DURATION', 'APPLICATIONS', 'NAMESPACES', 'CLUSTERS', 'MANUALSYNC', 'ACTIVE'],
          items.map((w) => [
            w.kind,
            w.schedule,
            w.duration,
            globs(w.applications),
            globs(w.namespaces),
            globs(w.clusters),
            w.manualSync ? 'Enabled' : 'Disabled',
            w.active ? 'Active' : 'Inactive',
          ]),
        ),
      );
    });
}

/** `keelson proj role create-token|list-tokens|delete-token`, as `argocd proj role …`. */
export function registerProjRole(proj: Command, target: () => Target, format: () => OutputFormat): void {
  const role = proj.command('role').description('Project roles and their tokens');
  role
    .command('create-token <project> <role>')
    .description('Create a token that acts as proj:<project>:<role>; it is printed once')
    .option('-e, --expires-in <duration>', 'e.g. 24h, 90m or 7d (default: does not expire)')
    .option('-i, --id <id>', 'a note to tell the token apart')
    .action(async (project: string, name: string, flags: { expiresIn?: string; id?: string }) => {
      const created = await request(target(), 'POST', path(project, 'roles', name, 'token'), ZCreatedProjectToken, {
        expiresIn: flags.expiresIn,
        id: flags.id,
      });
      print(format(), created, () => created.token);
    });
  role
    .command('list-tokens <project> <role>')
    .description("List a role's tokens (not their values)")
    .action(async (project: string, name: string) => {
      const { items } = await request(target(), 'GET', path(project, 'roles', name, 'token'), ZProjectTokenList);
      print(format(), items, () =>
        formatTable(
          ['ID', 'ISSUED AT', 'EXPIRES AT'],
          items.map((t) => [
            t.id,
            t.issuedAt,
            t.expiresAt ? `${t.expiresAt}${t.expired ? ' (expired)' : ''}` : 'Never',
          ]),
        ),
      );
    });
  role
    .command('delete-token <project> <role> <id>')
    .description('Revoke a token; it stops working at once')
    .action(async (project: string, name: string, id: string) => {
      await send(target(), 'DELETE', path(project, 'roles', name, 'token', id));
      console.log(`token ${id} of proj:${project}:${name} deleted`);
    });
}
