'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';

/** A mutation that, once it succeeded, makes the queries under `key` fetch again. */
export function useInvalidating<I, O>(key: readonly unknown[], fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: key }) });
}
