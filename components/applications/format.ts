/** Small display helpers shared by the application views. */
export const shortSha = (sha: string | undefined) => (sha ? sha.slice(0, 7) : '—');

/** `https://github.com/acme/app.git` → `github.com/acme/app`; local paths unchanged. */
export function repoLabel(url: string): string {
  return url
    .replace(/^[a-z+]+:\/\//i, '')
    .replace(/^[^@/]+@/, '')
    .replace(/\.git$/, '');
}

export const destination = (cluster: string, namespace: string) => `${cluster}/${namespace || '—'}`;

/** First line of a commit message. */
export const subject = (message: string | undefined) => (message ?? '').split('\n')[0];

export const resourceKey = (r: { group: string; kind: string; namespace: string; name: string }) =>
  `${r.group}/${r.kind}/${r.namespace}/${r.name}`;
