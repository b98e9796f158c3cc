import type { Command } from 'commander';
import { ZAuditList, type TAuditEntry, type TAuditList } from '../../lib/schemas/audit';
import { request } from '../client';
import { resolveTarget } from '../config';
import { formatTable, print, type OutputFormat } from '../output';
import { conforming } from '../responses';

type Globals = () => { server?: string; token?: string; output: OutputFormat };

interface ListFlags {
  since?: string;
  until?: string;
  user?: string;
  resource?: string;
  action?: string;
  object?: string;
  result?: string;
  via?: string;
  limit?: string;
  offset?: string;
}

const ZAuditAnswer = conforming(ZAuditList);

/** What the DETAILS column shows: the diff's paths for a spec change, else the details as compact JSON. */
export function detailsText(e: TAuditEntry): string {
  const diff = e.details?.diff;
  if (Array.isArray(diff))
    return diff.map((op: { op?: string; path?: string }) => `${op.op ?? '?'} ${op.path ?? ''}`).join(', ');
  return e.details ? JSON.stringify(e.details) : '-';
}

/** The table of `keelson audit list`; -o wide adds the address and the details. */
export function formatAuditList(page: TAuditList, wide: boolean): string {
  const head = ['TIME', 'USER', 'VIA', 'ACTION', 'OBJECT', 'RESULT', ...(wide ? ['IP', 'DETAILS'] : [])];
  const rows = page.items.map((e) => [
    e.at,
    e.actor,
    e.via ?? '-',
    e.action,
    e.target ?? '-',
    e.result,
    ...(wide ? [e.ip ?? '-', detailsText(e)] : []),
  ]);
  const shown = page.items.length ? `${page.offset + 1}-${page.offset + page.items.length}` : '0';
  const more =
    page.offset + page.items.length < page.total ? ` (next: --offset ${page.offset + page.items.length})` : '';
  return `${formatTable(head, rows)}\n${shown} of ${page.total}${more}`;
}

/** `keelson audit list`: who did what, via what, newest first (role:admin). */
export function registerAudit(program: Command, globals: Globals, rawOutput: () => string | undefined): void {
  const audit = program.command('audit').description('Read the audit log (role:admin)');
  audit
    .command('list')
    .description('List audit rows, newest first: time, user, via (ui, api, cli, …), action, object, result')
    .option('--since <time>', 'from this time: a duration back from now (30m, 1h, 7d) or RFC 3339')
    .option('--until <time>', 'before this time: a duration back from now or RFC 3339')
    .option('--user <name>', 'only this actor (a username, proj:<project>:<role>, automated, system)')
    .option('--resource <kind>', 'only this kind of object: application(s), cluster, pipelinerun, token…')
    .option('--action <action>', 'only this action (application.sync), its prefix (application) or verb (sync)')
    .option('--object <text>', 'only objects containing this text (application/web)')
    .option('--result <result>', 'success or failure')
    .option('--via <via>', 'ui, api, cli, project-token, trigger, controller or system')
    .option('--limit <n>', 'rows per page (1-500)', '50')
    .option('--offset <n>', 'rows to skip', '0')
    .action(async (flags: ListFlags) => {
      const query = new URLSearchParams(
        Object.entries(flags).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
      );
      const page = await request(resolveTarget(globals()), 'GET', `/api/v1/audit?${query}`, ZAuditAnswer);
      print(globals().output, page, () => formatAuditList(page, rawOutput() === 'wide'));
    });
}
