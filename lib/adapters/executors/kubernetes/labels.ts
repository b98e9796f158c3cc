/** Labels Keelson puts on what the Kubernetes executor creates, so the reaper and the run's clean-up find them. */
import { createHash } from 'node:crypto';

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_KEELSON = 'keelson';
export const PROJECT_LABEL = 'keelson.dev/project';
/** The TaskRun a pod runs (also on its Secret): Tekton's `tekton.dev/taskRun` may be overridden by a TaskRun's labels. */
export const TASK_RUN_LABEL = 'keelson.dev/task-run';
/** The TaskRun's exact name (the label holds a shortened one when the name is no valid label value). */
export const TASK_RUN_ANNOTATION = 'keelson.dev/task-run';
/** The attempt the pod runs (0 the first, N the Nth retry). */
export const ATTEMPT_ANNOTATION = 'keelson.dev/attempt';
export const PIPELINE_RUN_LABEL = 'keelson.dev/pipeline-run';
export const POD_SECURITY_ENFORCE = 'pod-security.kubernetes.io/enforce';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A valid label value for any name: itself when it is one, else its head and a hash (never empty for a non-empty name). */
export function labelValue(name: string): string {
  if (name.length <= 63 && LABEL_VALUE.test(name)) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 16);
  const head = name
    .slice(0, 46)
    .replace(/[^-A-Za-z0-9_.]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '');
  return head ? `${head}-${hash}` : hash;
}
