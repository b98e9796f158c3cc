'use client';
import { useQuery } from '@tanstack/react-query';
import {
  ZAccount,
  ZAccountList,
  type TAccountList,
  type TCreateAccount,
  type TUpdatePassword,
} from '@/lib/schemas/accounts';
import { api } from './api';
import { useInvalidating } from './use-invalidating';

const ACCOUNTS = ['accounts'] as const;
const accountPath = (name: string, rest = '') => `/api/v1/accounts/${encodeURIComponent(name)}${rest}`;

/** GET /api/v1/accounts, seeded with what the page read. */
export function useAccounts(initial: TAccountList) {
  return useQuery({
    queryKey: ACCOUNTS,
    queryFn: () => api('/api/v1/accounts', ZAccountList),
    initialData: initial,
  });
}

export const useCreateAccount = () =>
  useInvalidating(ACCOUNTS, (input: TCreateAccount) =>
    api('/api/v1/accounts', ZAccount, { method: 'POST', body: JSON.stringify(input) }),
  );

export const useUpdatePassword = () =>
  useInvalidating(ACCOUNTS, ({ name, ...input }: TUpdatePassword & { name: string }) =>
    api(accountPath(name, '/password'), null, { method: 'PUT', body: JSON.stringify(input) }),
  );

export const useDeleteAccount = () =>
  useInvalidating(ACCOUNTS, (name: string) => api(accountPath(name), null, { method: 'DELETE' }));
