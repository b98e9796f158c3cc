'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { ZPipelineSettingsView } from '@/lib/schemas/pipeline-settings';
import type { TPipelineExecutorSetting } from '@/lib/domain/pipeline/executor-setting';
import { api } from './api';

/** PUT /api/v1/settings/pipelines; the server page is read again after. */
export function useUpdatePipelineSettings() {
  const router = useRouter();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (setting: TPipelineExecutorSetting) =>
      api('/api/v1/settings/pipelines', ZPipelineSettingsView, { method: 'PUT', body: JSON.stringify(setting) }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['can-i'] });
      router.refresh();
    },
  });
}
