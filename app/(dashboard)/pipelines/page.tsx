import { EmptyState } from '@/components/ui/empty-state';
import { PageHead } from '@/components/ui/page-head';

export const metadata = { title: 'Pipelines' };

export default function PipelinesPage() {
  return (
    <>
      <PageHead title="Pipelines" description="Tekton-style pipelines: DAGs of tasks made of steps." />
      <EmptyState icon="pipelines" title="No pipelines yet" example={'keelson apply -f pipeline.yaml'}>
        Pipelines you apply (tekton.dev/v1 YAML works unchanged) will be listed here with their last run, its status and duration.
      </EmptyState>
    </>
  );
}
