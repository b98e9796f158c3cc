import { EmptyState } from '@/components/ui/empty-state';
import { PageHead } from '@/components/ui/page-head';

export const metadata = { title: 'Runs' };

export default function RunsPage() {
  return (
    <>
      <PageHead title="Runs" description="Every pipeline run, across pipelines, newest first." />
      <EmptyState icon="runs" title="No runs yet" example={'keelson pipeline start NAME --showlog'}>
        Runs started from the dashboard, the CLI, the API or a Git webhook will show here, live, with their status and duration.
      </EmptyState>
    </>
  );
}
