import Link from 'next/link';
import type { TPipelineRun, TTaskRun } from '@/lib/schemas/pipeline-runs';

const runLink = (name: string) => <Link href={`/runs/${encodeURIComponent(name)}`}>{name}</Link>;

/** The run header's "rerun of <run>" (failed tasks only, when fromFailed). */
export function RerunOf({ run }: { run: TPipelineRun }) {
  const of = run.metadata.annotations?.['keelson.dev/rerun-of'];
  if (!of) return null;
  const fromFailed = run.metadata.annotations?.['keelson.dev/from-failed'] === 'true';
  return (
    <span data-testid="rerun-of">
      {fromFailed ? 'failed tasks rerun of ' : 'rerun of '}
      {runLink(of)}
    </span>
  );
}

/** The run a reused TaskRun ran in, when a rerun from failed reused it. */
export const reusedFrom = (tr: TTaskRun): string | undefined => tr.metadata.labels?.['keelson.dev/reused-from'];

/** A task panel's note for a reused TaskRun: its steps, results and logs are those of the earlier run. */
export function ReusedNote({ tr }: { tr: TTaskRun }) {
  const from = reusedFrom(tr);
  if (!from) return null;
  return (
    <div className="banner banner-info" data-testid="reused-from" style={{ marginBottom: 10 }}>
      Reused from {runLink(from)}: this task succeeded there and did not run again; its results, steps and logs are that
      run&apos;s.
    </div>
  );
}
