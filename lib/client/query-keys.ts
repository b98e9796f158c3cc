/** Query keys in one place so invalidation always hits what a query used. */
export const queryKeys = {
  tokens: () => ['tokens'] as const,
  pipelines: () => ['pipelines'] as const,
  pipeline: (name: string) => ['pipelines', name] as const,
  runs: (filters: Record<string, string | number | undefined>) => ['runs', filters] as const,
  allRuns: () => ['runs'] as const,
  run: (name: string) => ['run', name] as const,
};
