import { z } from 'zod';
import type { TGitProvider } from '@/lib/schemas/applications';

/** What a push tells Keelson: which repository (any of its URLs), which refs, its default branch. */
export interface GitPush {
  provider: TGitProvider;
  repoUrls: string[];
  /** Full refs: refs/heads/main, refs/tags/v1. */
  refs: string[];
  defaultBranch?: string;
}

export type PushEvent =
  | { kind: 'push'; push: GitPush }
  | { kind: 'ignored'; provider: TGitProvider; reason: string }
  | { kind: 'invalid'; provider: TGitProvider; reason: string };

const url = z.string().min(1);

const ZGitHubPush = z.looseObject({
  ref: z.string().min(1),
  repository: z
    .looseObject({ html_url: url, clone_url: url, ssh_url: url, git_url: url, default_branch: z.string() })
    .partial(),
});

const ZGitLabRepo = z
  .looseObject({ git_http_url: url, git_ssh_url: url, web_url: url, homepage: url })
  .partial()
  .extend({ default_branch: z.string().nullish() });
const ZGitLabPush = z.looseObject({
  ref: z.string().min(1),
  project: ZGitLabRepo.optional(),
  repository: ZGitLabRepo.optional(),
});

/** Bitbucket Cloud (repo:push): push.changes[].new is the branch or tag after the push (null when deleted). */
const ZBitbucketCloudPush = z.looseObject({
  repository: z.looseObject({
    full_name: z.string().optional(),
    links: z.looseObject({ html: z.looseObject({ href: url }) }),
    mainbranch: z.looseObject({ name: z.string() }).nullish(),
  }),
  push: z.looseObject({
    changes: z.array(
      z.looseObject({
        new: z.looseObject({ type: z.string(), name: z.string() }).nullish(),
        old: z.looseObject({ type: z.string(), name: z.string() }).nullish(),
      }),
    ),
  }),
});

/** Bitbucket Server / Data Center (repo:refs_changed). */
const ZBitbucketServerPush = z.looseObject({
  repository: z.looseObject({
    links: z.looseObject({
      clone: z.array(z.looseObject({ href: url })).optional(),
      self: z.array(z.looseObject({ href: url })).optional(),
    }),
  }),
  changes: z.array(z.looseObject({ ref: z.looseObject({ id: z.string() }) })),
});

const defined = (xs: (string | null | undefined)[]) =>
  xs.filter((x): x is string => typeof x === 'string' && x.length > 0);

function githubPush(body: unknown): PushEvent {
  const p = ZGitHubPush.safeParse(body);
  if (!p.success) return { kind: 'invalid', provider: 'github', reason: 'not a GitHub push payload (ref, repository)' };
  const r = p.data.repository;
  return {
    kind: 'push',
    push: {
      provider: 'github',
      repoUrls: defined([r.html_url, r.clone_url, r.ssh_url, r.git_url]),
      refs: [p.data.ref],
      defaultBranch: r.default_branch,
    },
  };
}

function gitlabPush(body: unknown): PushEvent {
  const p = ZGitLabPush.safeParse(body);
  const repo = p.success ? (p.data.project ?? p.data.repository) : undefined;
  if (!p.success || !repo)
    return { kind: 'invalid', provider: 'gitlab', reason: 'not a GitLab push payload (ref, project)' };
  const urls = [p.data.project, p.data.repository].flatMap((x) =>
    x ? [x.git_http_url, x.git_ssh_url, x.web_url, x.homepage] : [],
  );
  return {
    kind: 'push',
    push: {
      provider: 'gitlab',
      repoUrls: defined(urls),
      refs: [p.data.ref],
      defaultBranch: repo.default_branch ?? undefined,
    },
  };
}

function bitbucketPush(eventKey: string, body: unknown): PushEvent {
  if (eventKey === 'repo:refs_changed') {
    const p = ZBitbucketServerPush.safeParse(body);
    if (!p.success)
      return { kind: 'invalid', provider: 'bitbucket', reason: 'not a Bitbucket Server repo:refs_changed payload' };
    const links = p.data.repository.links;
    return {
      kind: 'push',
      push: {
        provider: 'bitbucket',
        repoUrls: defined([...(links.clone ?? []), ...(links.self ?? [])].map((l) => l.href)),
        refs: p.data.changes.map((c) => c.ref.id),
      },
    };
  }
  const p = ZBitbucketCloudPush.safeParse(body);
  if (!p.success)
    return {
      kind: 'invalid',
      provider: 'bitbucket',
      reason: 'not a Bitbucket repo:push payload (repository.links.html.href, push.changes)',
    };
  const { repository, push } = p.data;
  const html = repository.links.html.href;
  // Bitbucket Cloud sends only the web URL; apps may follow the SSH form of the same repository.
  const host = /^https?:\/\/([^/]+)\//i.exec(html)?.[1];
  const ssh = host && repository.full_name ? `git@${host}:${repository.full_name}.git` : undefined;
  const refs = push.changes.flatMap((c) => {
    const ref = c.new ?? c.old;
    if (!ref) return [];
    return [`refs/${ref.type === 'tag' ? 'tags' : 'heads'}/${ref.name}`];
  });
  return {
    kind: 'push',
    push: { provider: 'bitbucket', repoUrls: defined([html, ssh]), refs, defaultBranch: repository.mainbranch?.name },
  };
}

/** Provider by header, then the push payload parsed with zod; other events are ignored, not errors. */
export function parseGitPush(
  provider: TGitProvider,
  headers: Readonly<Record<string, string>>,
  body: unknown,
): PushEvent {
  if (provider === 'github') {
    const event = headers['x-github-event'];
    return event === 'push'
      ? githubPush(body)
      : { kind: 'ignored', provider, reason: `GitHub event "${event}" is not a push` };
  }
  if (provider === 'gitlab') {
    const event = headers['x-gitlab-event'];
    return event === 'Push Hook' || event === 'Tag Push Hook'
      ? gitlabPush(body)
      : { kind: 'ignored', provider, reason: `GitLab event "${event}" is not a push` };
  }
  const key = headers['x-event-key'];
  return key === 'repo:push' || key === 'repo:refs_changed'
    ? bitbucketPush(key, body)
    : { kind: 'ignored', provider, reason: `Bitbucket event "${key}" is not a push` };
}

/** Which provider sent the request, from its event header. */
export function providerOf(headers: Readonly<Record<string, string>>): TGitProvider | undefined {
  if (headers['x-github-event']) return 'github';
  if (headers['x-gitlab-event']) return 'gitlab';
  if (headers['x-event-key']) return 'bitbucket';
  return undefined;
}
