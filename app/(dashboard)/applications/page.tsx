import { EmptyState } from '@/components/ui/empty-state';
import { PageHead } from '@/components/ui/page-head';

export const metadata = { title: 'Applications' };

export default function ApplicationsPage() {
  return (
    <>
      <PageHead title="Applications" description="Git-backed deployments, their sync status and health." />
      <EmptyState icon="apps" title="No applications yet" example={'keelson app create -f application.yaml'}>
        An application follows a path in a Git repository and keeps a namespace of a Kubernetes cluster in sync with it. Each one
        will appear here with its health, sync status, revision and destination.
      </EmptyState>
    </>
  );
}
