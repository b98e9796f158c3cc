/** Query keys in one place so invalidation always hits what a query used. */
export const queryKeys = {
  tokens: () => ['tokens'] as const,
};
