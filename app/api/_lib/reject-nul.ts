import { AppError } from '@/lib/errors';

/**
 * A NUL byte (`%00`) in a path segment or query value can name nothing Keelson stores (Postgres text cannot
 * hold it), so it is refused up front with the field's path instead of failing in the database.
 */
export function rejectNulBytes(params: Record<string, string | string[] | undefined>, query: URLSearchParams): void {
  const bad = [
    ...Object.entries(params).flatMap(([k, v]) =>
      [v]
        .flat()
        .filter((s) => s?.includes('\0'))
        .map(() => `params.${k}`),
    ),
    ...[...query]
      .filter(([k, v]) => k.includes('\0') || v.includes('\0'))
      .map(([k]) => `query.${k.replace(/\0/g, '\\0')}`),
  ];
  if (bad.length === 0) return;
  throw new AppError('BAD_REQUEST', `${bad[0]}: contains a NUL byte (%00).`, {
    issues: bad.map((path) => ({ path, message: 'contains a NUL byte' })),
    hint: 'Remove the %00 from the URL.',
  });
}
