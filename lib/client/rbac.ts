'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { withGroupMapping as mapGroup } from '@/lib/domain/access/group-mapping';
import { ZAppliedRbacConfig, type TRbacConfigMapDocument } from '@/lib/schemas/rbac';
import { api } from './api';

/** The ConfigMap with `g, <group>, <role>` appended to policy.csv (the Access page's "Map group"). */
export function withGroupMapping(cm: TRbacConfigMapDocument, group: string, role: string): TRbacConfigMapDocument {
  return { ...cm, data: mapGroup(cm.data, group, role) };
}

/** Applies argocd-rbac-cm: YAML text as written, or a ConfigMap object; the server page is read again after. */
export function useApplyRbacConfig() {
  const router = useRouter();
  return useMutation({
    mutationFn: (input: string | TRbacConfigMapDocument) =>
      api('/api/v1/settings/rbac', ZAppliedRbacConfig, {
        method: 'PUT',
        body: typeof input === 'string' ? input : JSON.stringify(input),
        headers: { 'content-type': typeof input === 'string' ? 'application/yaml' : 'application/json' },
      }),
    onSuccess: () => router.refresh(),
  });
}
