/** Documents of the concurrency group tests (pipeline-semantics-concurrency*.test.ts). */

/** A Pipeline of one task that sleeps `seconds`, in a concurrency group keyed by its branch param. */
export function pipeline(name: string, annotations: Record<string, string>, seconds = 1.5) {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'Pipeline',
    metadata: { name, annotations: { 'keelson.dev/concurrency-key': '$(params.branch)', ...annotations } },
    spec: {
      params: [{ name: 'branch', default: 'main' }],
      tasks: [{ name: 'work', taskSpec: { steps: [{ name: 's', image: 'alpine', script: `sleep ${seconds}` }] } }],
    },
  };
}

export function runOf(pipelineName: string, name: string, branch = 'main', extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name },
    spec: { pipelineRef: { name: pipelineName }, params: [{ name: 'branch', value: branch }], ...extra },
  };
}
