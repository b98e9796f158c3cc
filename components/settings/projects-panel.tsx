'use client';
import { notAllowedTitle, useCanI } from '@/lib/client/can-i';
import { useDeleteProject } from '@/lib/client/projects';
import type { TAppProject } from '@/lib/domain/gitops/projects';
import type { TProjectWindows } from '@/lib/schemas/projects';
import { DataTable, Dash, TableCard, wide } from '../ui/data-table';
import { EmptyState } from '../ui/empty-state';
import { ErrorAlert } from '../ui/error-alert';
import { ApplyProjectDialog } from './projects-apply-dialog';
import { DeleteRowButton } from './settings-panel';
import './gitops-settings.css';
import './accounts.css';
import './projects.css';

/** A project as the page shows it: the document, its windows with their state now, and its YAML to edit. */
export interface ProjectRow {
  project: TAppProject;
  windows: TProjectWindows['items'];
  yaml: string;
}

function List({ values }: { values: string[] }) {
  if (values.length === 0) return <Dash />;
  return (
    <ul className="proj-list mono">
      {values.map((v) => (
        <li key={v}>{v}</li>
      ))}
    </ul>
  );
}

function Windows({ windows }: { windows: ProjectRow['windows'] }) {
  if (windows.length === 0) return <Dash />;
  return (
    <ul className="proj-list">
      {windows.map((w, i) => (
        <li key={i}>
          <span className={`proj-window proj-window-${w.kind}`}>{w.kind}</span>{' '}
          <span className="mono">
            {w.schedule} · {w.duration}
          </span>{' '}
          <span className={w.active ? 'proj-active' : 'muted'}>{w.active ? 'active' : 'inactive'}</span>
        </li>
      ))}
    </ul>
  );
}

const destinations = (p: TAppProject) =>
  (p.spec.destinations ?? []).map((d) => `${d.server ?? d.name ?? '*'} → ${d.namespace ?? '*'}`);

/** Each role, with how many live project tokens act as it (status.jwtTokensByRole). */
const roles = (p: TAppProject) =>
  (p.spec.roles ?? []).map((r) => {
    const n = p.status?.jwtTokensByRole?.[r.name]?.items?.length ?? 0;
    return n > 0 ? `${r.name} (${n} token${n === 1 ? '' : 's'})` : r.name;
  });

/** Settings → Projects: AppProjects with their repos, destinations, roles and sync windows; apply and delete. */
export function ProjectsPanel({ rows }: { rows: ProjectRow[] }) {
  const remove = useDeleteProject();
  const check = (action: string, object: string) => ({ resource: 'projects', action, object });
  const can = useCanI([
    check('create', '*'),
    ...rows.flatMap((r) => [check('update', r.project.metadata.name), check('delete', r.project.metadata.name)]),
  ]);
  return (
    <div className="settings-stack">
      <div className="proj-head">
        <p className="muted">
          Applications (spec.project) and pipeline resources (metadata.namespace) belong to a project; its roles grant
          within it. <span className="mono">default</span> permits everything and cannot be deleted.
        </p>
        <ApplyProjectDialog allowed={can.can('projects', 'create', '*')} />
      </div>
      <ErrorAlert error={remove.error} />
      {rows.length === 0 ? (
        <EmptyState icon="key" title="No projects you may see" example="keelson proj list">
          Your role does not let you read projects.
        </EmptyState>
      ) : (
        <TableCard>
          <DataTable
            label="Projects"
            columns={['Name', wide('Repositories'), wide('Destinations'), 'Roles', 'Sync windows', '']}
          >
            {rows.map(({ project, windows, yaml }) => {
              const name = project.metadata.name;
              const mayDelete = can.can('projects', 'delete', name) && name !== 'default';
              return (
                <tr key={name}>
                  <td>
                    <span style={{ fontWeight: 600 }}>{name}</span>
                    {project.spec.description ? (
                      <div className="muted cell-wrap">{project.spec.description}</div>
                    ) : null}
                  </td>
                  <td className="hide-sm">
                    <List values={project.spec.sourceRepos ?? []} />
                  </td>
                  <td className="hide-sm">
                    <List values={destinations(project)} />
                  </td>
                  <td>
                    <List values={roles(project)} />
                  </td>
                  <td>
                    <Windows windows={windows} />
                  </td>
                  <td>
                    <div className="row-actions">
                      <ApplyProjectDialog yaml={yaml} name={name} allowed={can.can('projects', 'update', name)} />
                      <DeleteRowButton
                        name={name}
                        refusal={
                          name === 'default'
                            ? 'The default project cannot be deleted.'
                            : mayDelete
                              ? undefined
                              : notAllowedTitle('delete', 'project')
                        }
                        pending={remove.isPending}
                        question={`Delete project ${name}? Its project tokens stop working.`}
                        onDelete={() => remove.mutate(name)}
                      />
                    </div>
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </TableCard>
      )}
    </div>
  );
}
