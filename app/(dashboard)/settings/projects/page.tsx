import { stringify } from 'yaml';
import { ProjectsPanel, type ProjectRow } from '@/components/settings/projects-panel';
import { listProjectWindows } from '@/lib/server/access/list-project-windows';
import { listProjects } from '@/lib/server/access/list-projects';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { deps } from '@/lib/server/context';
import { SettingsShell } from '../_lib/settings-shell';

export const metadata = { title: 'Projects' };
export const dynamic = 'force-dynamic';

export default async function ProjectsSettingsPage() {
  const principal = await requirePrincipal();
  const d = deps();
  const rows: ProjectRow[] = await Promise.all(
    (await listProjects(d, principal)).map(async (project) => {
      // What the editor shows is what one applies: the server's status and timestamps stay out.
      const { status: _status, ...document } = project;
      const { creationTimestamp: _created, ...metadata } = document.metadata;
      return {
        project,
        windows: (await listProjectWindows(d, principal, project.metadata.name)).items,
        yaml: stringify({ ...document, metadata }, { lineWidth: 0 }),
      };
    }),
  );
  return (
    <SettingsShell
      tab="/settings/projects"
      description="Argo CD AppProjects: which repos, clusters and resource kinds each team may use, its roles and sync windows."
    >
      <ProjectsPanel rows={rows} />
    </SettingsShell>
  );
}
