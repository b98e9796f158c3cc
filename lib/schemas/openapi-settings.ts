/** OpenAPI paths of installation settings (Settings → Pipelines); merged into openapi.ts. */
import type { SchemaName } from './openapi';
import type { Operation, OperationSpec } from './openapi-operation';

type Op = (summary: string, spec: OperationSpec<SchemaName>) => Operation;

export function settingsPaths(op: Op) {
  return {
    '/api/v1/settings/pipelines': {
      get: op(
        'Where TaskRuns run (the `pipelines.executor` setting): the registered cluster (null: the local executor), the namespace template per project, the Kubernetes executor bounds, the setting in force (KEELSON_PIPELINE_CLUSTER wins over the stored cluster) and the registered clusters to choose from (clusters, get, *; role:readonly has it)',
        { answers: { '200': ['The setting, what is in force and where it came from', 'PipelineSettingsView'] } },
      ),
      put: op(
        'Store the `pipelines.executor` setting (fields left out take their defaults): cluster (a registered cluster, or null), namespace (template, `{project}` replaced by the project name, a DNS-1123 label; default `{project}`), maxConcurrentTaskRuns (1-10000, default 20, across all workers), keepFinishedPodsMinutes (default 0), startTimeoutSeconds (default 300). Needs clusters, update, * (role:admin). Audited (settings.pipelines.update); workers follow within seconds. A TaskRun or PipelineRun annotation `keelson.dev/executor: local|kubernetes` overrides it per run',
        {
          body: 'PipelineSettingsInput',
          answers: { '200': ['Stored (action configured) or unchanged', 'PipelineSettingsView'] },
          errors: {
            '400':
              'A field is wrong (issues name it: an unregistered cluster, a namespace template that is no DNS-1123 label, a bound out of range); nothing stored',
            '403': 'Not allowed: clusters, update, *',
          },
        },
      ),
    },
  };
}
