/**
 * AppProject.ValidateProject's rules that a schema cannot express field by field: no duplicate sourceRepos,
 * destinations, roles, policies or groups; `!*` (which would refuse everything) is refused; role names
 * (validateRoleName) and group names (validateGroupName); a sync window must name applications, namespaces or
 * clusters, and two windows may not share kind + schedule + duration. Each issue carries its path.
 */
import type { TAppProjectSpec } from './app-project-schema';

export interface ProjectIssue {
  path: (string | number)[];
  message: string;
}

const ROLE_NAME = /^[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?$/;

function duplicates<T>(items: readonly T[], key: (item: T) => string, path: string[], what: string): ProjectIssue[] {
  const seen = new Set<string>();
  const issues: ProjectIssue[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) issues.push({ path: [...path, i], message: `${what} '${k}' already added` });
    seen.add(k);
  });
  return issues;
}

export function validateProjectSpec(spec: TAppProjectSpec): ProjectIssue[] {
  const issues: ProjectIssue[] = [];
  const repos = spec.sourceRepos ?? [];
  issues.push(...duplicates(repos, (r) => r, ['sourceRepos'], 'source repository'));
  repos.forEach((r, i) => {
    if (r === '!*') issues.push({ path: ['sourceRepos', i], message: "'!*' would refuse every repository" });
  });
  const dests = spec.destinations ?? [];
  issues.push(
    ...duplicates(
      dests,
      (d) => `${d.server ?? ''}/${d.name ?? ''}/${d.namespace ?? ''}`,
      ['destinations'],
      'destination',
    ),
  );
  dests.forEach((d, i) => {
    for (const field of ['server', 'name', 'namespace'] as const) {
      if (d[field] === '!*') issues.push({ path: ['destinations', i, field], message: "'!*' would refuse everything" });
    }
  });
  const roles = spec.roles ?? [];
  issues.push(...duplicates(roles, (r) => r.name, ['roles'], 'role'));
  roles.forEach((role, i) => {
    if (!ROLE_NAME.test(role.name)) {
      issues.push({
        path: ['roles', i, 'name'],
        message: 'use letters, digits, - and _ (starting and ending alphanumeric)',
      });
    }
    issues.push(...duplicates(role.policies ?? [], (p) => p, ['roles', String(i), 'policies'], 'policy'));
    issues.push(...duplicates(role.groups ?? [], (g) => g, ['roles', String(i), 'groups'], 'group'));
    (role.groups ?? []).forEach((g, j) => {
      if (!g.trim() || g.trim() !== g || /[,\n\r\t]/.test(g)) {
        issues.push({
          path: ['roles', i, 'groups', j],
          message: 'a group name: not blank, no commas, tabs or newlines',
        });
      }
    });
  });
  const windows = spec.syncWindows ?? [];
  issues.push(...duplicates(windows, (w) => `${w.kind}:${w.schedule}:${w.duration}`, ['syncWindows'], 'window'));
  windows.forEach((w, i) => {
    if (!w.applications?.length && !w.namespaces?.length && !w.clusters?.length) {
      issues.push({ path: ['syncWindows', i], message: 'a window needs applications, namespaces or clusters' });
    }
  });
  return issues;
}
