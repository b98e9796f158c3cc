/** Query keys in one place so invalidation always hits what a query used. */
export const queryKeys = {
  tokens: () => ['tokens'] as const,
  pipelines: () => ['pipelines'] as const,
  pipeline: (name: string) => ['pipelines', name] as const,
  runs: (filters: Record<string, string | number | undefined>) => ['runs', filters] as const,
  allRuns: () => ['runs'] as const,
  run: (name: string) => ['run', name] as const,
  applications: (filters: Record<string, string | number | undefined>) => ['applications', filters] as const,
  allApplications: () => ['applications'] as const,
  application: (name: string) => ['application', name] as const,
  applicationPart: (name: string, part: string, ...args: (string | undefined)[]) =>
    ['application', name, part, ...args] as const,
  repositories: () => ['repositories'] as const,
  clusters: () => ['clusters'] as const,
  webhookSecrets: () => ['webhook-secrets'] as const,
};
