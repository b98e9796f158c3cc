import { AppError } from '@/lib/errors';
import { GIT_PROVIDERS, type TGitProvider } from '@/lib/schemas/applications';

export function parseProvider(value: string): TGitProvider {
  const provider = GIT_PROVIDERS.find((p) => p === value);
  if (!provider)
    throw new AppError('BAD_REQUEST', `Unknown Git provider "${value}".`, {
      issues: [{ path: 'provider', message: `use one of ${GIT_PROVIDERS.join(', ')}` }],
      hint: `Providers: ${GIT_PROVIDERS.join(', ')}.`,
    });
  return provider;
}
