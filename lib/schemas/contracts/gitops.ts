/** Contracts of repositories, clusters, Git webhook secrets and the Git push webhook. */
import { z } from 'zod';
import { GIT_PROVIDERS, ZSetWebhookSecret } from '../applications';
import { contract } from '../contract';
import { ZAddCluster, ZAddRepository, ZCluster, ZRepository, ZWebhookSecret } from '../gitops';
import { zItems } from '../list';
import { ZLabelName, providerParam } from './params';

/** What the Git push webhook answers: how many applications were asked to refresh (a count: the caller may be anyone). */
export const ZGitPushAnswer = z.object({
  provider: z.enum(GIT_PROVIDERS),
  refreshed: z.number().int().min(0),
  ignored: z.string().optional(),
});

export const ZRemoveRepositoryQuery = z.object({
  url: z.string().min(1, 'required: the URL of the repository to remove').max(2048),
});

export const gitopsContracts = {
  '/api/v1/repositories': {
    get: contract({
      summary: 'Repositories (credentials are never returned)',
      answers: { '200': ['{items: [{id, url, hasCredentials, createdAt}]}', zItems(ZRepository)] },
    }),
    post: contract({
      summary: 'Add a repository after reading its HEAD with the given credentials',
      body: ZAddRepository,
      answers: { '201': '{id, url}' },
      errors: {
        '400': 'Unreachable, bad credentials, or a local URL while those are off',
        '403': 'Not allowed: repositories, create',
        '409': 'Already added',
      },
    }),
    delete: contract({
      summary: 'Remove a repository (DELETE /api/v1/repositories?url=…: URLs do not fit in a path segment)',
      query: ZRemoveRepositoryQuery,
      queryHint: 'Name the repository: DELETE /api/v1/repositories?url=<its URL, as listed>.',
      answers: { '204': 'Removed' },
      errors: { '403': 'Not allowed: repositories, delete', '404': 'No such repository' },
    }),
  },
  '/api/v1/clusters': {
    get: contract({
      summary: 'Clusters (credentials are never returned)',
      answers: { '200': ['{items: [{id, name, server, serverVersion, createdAt}]}', zItems(ZCluster)] },
    }),
    post: contract({
      summary: 'Register a cluster (refused unless its API server answers /version with those credentials)',
      body: ZAddCluster,
      answers: { '201': '{id, name, server, serverVersion}' },
      errors: {
        '400': 'Unreachable or bad credentials',
        '403': 'Not allowed: clusters, create',
        '409': 'Name taken',
      },
    }),
  },
  '/api/v1/clusters/{name}': {
    delete: contract({
      summary: 'Remove a cluster',
      path: z.object({ name: ZLabelName }),
      answers: { '204': 'Removed' },
      errors: {
        '403': 'Not allowed: clusters, delete',
        '404': 'No such cluster',
        '409': 'Applications or the pipelines setting still use it',
      },
    }),
  },
  '/api/v1/settings/webhooks': {
    get: contract({
      summary: 'Git webhook secrets: which providers have one (secrets are never returned)',
      answers: { '200': ['{items: [{provider, configured, updatedBy, updatedAt}]}', zItems(ZWebhookSecret)] },
    }),
  },
  '/api/v1/settings/webhooks/{provider}': {
    put: contract({
      summary: 'Set the webhook secret of github, gitlab or bitbucket',
      path: providerParam,
      body: ZSetWebhookSecret,
      answers: { '200': ['{provider, configured, updatedBy, updatedAt}', ZWebhookSecret] },
      errors: { '400': 'Unknown provider or short secret', '403': 'Not allowed: settings, update' },
    }),
    delete: contract({
      summary: 'Remove a webhook secret (deliveries are then accepted unsigned)',
      path: providerParam,
      answers: { '204': 'Removed' },
      errors: { '403': 'Not allowed: settings, update', '404': 'None set' },
    }),
  },
  '/api/webhooks/git': {
    post: contract({
      summary:
        'Git push webhook: GitHub (X-Hub-Signature-256), GitLab (X-Gitlab-Token), Bitbucket (X-Event-Key, X-Hub-Signature). Refreshes the apps whose repo and branch match',
      public: true,
      body: z.unknown(),
      bodyFormat: 'read-by-route',
      answers: {
        '200': [
          '{provider, refreshed: <how many applications were asked to refresh>} (a count: the caller may be anyone)',
          ZGitPushAnswer,
        ],
        '202': ['Not a push event: {provider, refreshed: 0, ignored}', ZGitPushAnswer],
      },
      errors: {
        '400': 'Unknown provider or invalid payload',
        '401': 'Secret set for the provider and signature missing or bad; nothing refreshed',
        '413': 'Body over 5 MB',
      },
    }),
  },
};
