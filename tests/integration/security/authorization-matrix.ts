/**
 * THE route × role table: for every operation of the OpenAPI document (`METHOD /path`), the requests the matrix
 * sends and, for each of the five callers, whether they must be allowed or refused. A route without an entry
 * fails authorization-matrix.test.ts. Fixture objects (tests/fixtures/access/matrix-fixtures.ts): `a-*` are in
 * project team-a, `d-*` in default; `$caller` in a name is the caller's own copy of a deleted object.
 *
 * Callers, in the order of an expectation's letters:
 *   admin    the local `admin` (role:admin through the built-in `g, admin, role:admin`), fresh install;
 *   readonly an SSO user of group `viewers`, role:readonly through `policy.default` of a fresh install;
 *   team     an SSO user of group `team-a`, bound by the AppProject team-a's role `dev`;
 *   none     a local user `nobody` with no role;
 *   token    a project token of team-a's role `dev` (acts as proj:team-a:dev).
 * team, none and token are checked with `policy.default: ''` applied (RBAC_NO_DEFAULT_ROLE): policy.default
 * applies to every subject, so "no role" only exists there, and it shows the project role alone grants nothing
 * outside team-a.
 *
 * A = allowed: any answer but 401, 403 or 5xx (404, 409 and 400 are fine: the policy let the request through).
 * D = denied: 403 whose error.denied is `denied`, and no table but audit_log changed.
 */
import {
  appDoc,
  pipelineYaml,
  secretYaml,
  SPARE_ACCOUNT,
  SPARE_CLUSTER,
  SPARE_REPO_URL,
  teamProject,
  triggerYaml,
} from '../../fixtures/access/matrix-fixtures';
import { name, on, pair, type Entry, type Expect } from './authorization-matrix-cells';

/** Any signed-in caller (lists answer with what the caller may see, never 403). */
const ANY: Expect = 'AAAAA';
/** A person's own tokens: not a project token's, which is no person. */
const PEOPLE: Expect = 'AAAAD';
/** Reading a team-a object. */
const READ_A: Expect = 'AAADA';
/** Reading a default object, or something global role:readonly may get. */
const READ_D: Expect = 'AADDD';
/** Changing a team-a object. */
const WRITE_A: Expect = 'ADADA';
/** Changing a default object, or anything global. */
const ADMIN: Expect = 'ADDDD';
const READ = { a: READ_A, d: READ_D };
/** A list that shows the team-a object `a` to those who may read it, and the default object `d` likewise. */
const listing = (a: string, d: string) => ({ expect: ANY, sees: { [a]: READ_A, [d]: READ_D } });
const WRITE = { a: WRITE_A, d: ADMIN };

/** What a project token may not do with the account of the person who issued it. */
const ACCOUNT = on('accounts', /./, /./);
const SYNC = /^(sync|rollback)$/;
const CREATE_OR_UPDATE = /^(create|update)$/;
const app = (action: string | RegExp) => (project: string, n: string) => on('applications', action, `${project}/${n}`);
const pipeline = (action: string | RegExp) => (project: string, n: string) =>
  on('pipelines', action, `${project}/${n}`);
/** Pod logs: `applications, get` and `logs, get` on the app (Argo CD asks both). */
const appLogs = (project: string, n: string) => on(/^(applications|logs)$/, 'get', `${project}/${n}`);
const run = (action: string | RegExp) => (project: string, n: string) => on('pipelineruns', action, `${project}/${n}`);
/** A TaskRun is read as part of its PipelineRun (object: the project and the run or TaskRun name). */
const taskRun = (resource: string | RegExp) => (project: string) => on(resource, 'get', new RegExp(`^${project}/`));
const trigger = (project: string, n: string) => on('triggers', 'get', `${project}/${n}`);
const project = (action: string) => (p: string) => on('projects', action, p);
const projectOf = (n: string) => (n.startsWith('a-') ? 'team-a' : 'default');
const NO_SUCH_ID = '0f0e0d0c-0b0a-4000-8000-000000000001';
const rbacCm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm' }, data: {} };
const everyoneAdmin = { ...rbacCm, data: { 'policy.default': 'role:admin' } };

export const MATRIX: Record<string, Entry> = {
  'GET /api/healthz': { public: true, status: [200] },
  'GET /api/readyz': { public: true, status: [200, 503] },
  'POST /api/v1/session/token': { public: true, status: [401], body: { username: 'nobody', password: 'not-it' } },
  'POST /api/webhooks/git': {
    public: true,
    status: [202],
    headers: { 'x-github-event': 'ping', 'x-github-delivery': 'matrix-ping' },
    body: { zen: 'matrix' },
  },
  // Unsigned: the trigger's own authentication refuses it (not the API's login).
  'POST /api/webhooks/triggers/{name}': { public: true, status: [401], ...name('a-on-push'), body: { ref: 'x' } },

  'GET /api/v1/version': [{ expect: ANY }],
  'GET /api/v1/openapi.json': [{ expect: ANY }],
  'GET /api/v1/me': [{ expect: ANY }],
  'GET /api/v1/account/can-i': [{ query: 'resource=applications&action=sync&object=default/d-web', expect: ANY }],
  'POST /api/v1/account/can-i': [
    { body: { checks: [{ resource: 'applications', action: 'get', object: 'team-a/a-web' }] }, expect: ANY },
  ],

  'GET /api/v1/tokens': [{ expect: PEOPLE, denied: ACCOUNT }],
  'POST /api/v1/tokens': [{ body: { name: 'matrix' }, expect: PEOPLE, denied: ACCOUNT }],
  'DELETE /api/v1/tokens/{id}': [{ params: { id: NO_SUCH_ID }, expect: PEOPLE, denied: ACCOUNT }],

  // Argo CD's account service: everyone may see and change their own account; others need accounts get/update.
  'GET /api/v1/accounts': [{ expect: ANY }],
  'POST /api/v1/accounts': [
    {
      body: { name: 'matrix-user', password: 'matrix-password-1' },
      expect: ADMIN,
      denied: on('accounts', 'update', 'matrix-user'),
    },
  ],
  'GET /api/v1/accounts/{name}': [
    { ...name('nobody'), expect: 'AADAD', denied: on('accounts', 'get', 'nobody') },
    { ...name('admin'), expect: READ_D, denied: on('accounts', 'get', 'admin') },
  ],
  'DELETE /api/v1/accounts/{name}': [
    { ...name(SPARE_ACCOUNT), expect: ADMIN, denied: on('accounts', 'update', SPARE_ACCOUNT) },
    // The built-in admin cannot be deleted (400 for the admin); for everyone else the policy says no first.
    { ...name('admin'), expect: ADMIN, denied: on('accounts', 'update', 'admin') },
  ],
  'PUT /api/v1/accounts/{name}/password': [
    // Their own (with a wrong current password: a 400 for the caller allowed to try).
    {
      ...name('nobody'),
      body: { currentPassword: 'not-it', newPassword: 'matrix-password-2' },
      expect: 'ADDAD',
      denied: on('accounts', 'update', 'nobody'),
    },
    {
      ...name(SPARE_ACCOUNT),
      body: { newPassword: 'matrix-password-3' },
      expect: ADMIN,
      denied: on('accounts', 'update', SPARE_ACCOUNT),
    },
    // The admin's own, without the current password: a 400 for the admin, a refusal for anyone else.
    {
      ...name('admin'),
      body: { newPassword: 'matrix-password-4' },
      expect: ADMIN,
      denied: on('accounts', 'update', 'admin'),
    },
  ],
  'GET /api/v1/settings/rbac': [{ expect: READ_D, denied: on('rbac', 'get', '*') }],
  'PUT /api/v1/settings/rbac': [{ body: rbacCm, expect: ADMIN, denied: on('rbac', 'update', '*') }],
  // Where TaskRuns run: readable as clusters are, changed only with clusters, update on every cluster.
  'GET /api/v1/settings/pipelines': [{ expect: READ_D, denied: on('clusters', 'get', '*') }],
  'PUT /api/v1/settings/pipelines': [
    { body: { cluster: null, namespace: 'ci-{project}' }, expect: ADMIN, denied: on('clusters', 'update', '*') },
  ],

  'GET /api/v1/projects': [listing('team-a', 'default')],
  'POST /api/v1/projects': [
    {
      body: { ...teamProject(), metadata: { name: 'p-new' }, spec: { ...teamProject().spec, roles: [] } },
      expect: ADMIN,
      denied: on('projects', CREATE_OR_UPDATE, 'p-new'),
    },
  ],
  'GET /api/v1/projects/{name}': [
    { ...name('team-a'), expect: READ_A, denied: on('projects', 'get', 'team-a') },
    { ...name('default'), expect: READ_D, denied: on('projects', 'get', 'default') },
  ],
  'PUT /api/v1/projects/{name}': [
    { ...name('team-a'), body: teamProject(), expect: ADMIN, denied: on('projects', 'update', 'team-a') },
  ],
  'DELETE /api/v1/projects/{name}': [{ ...name('spare'), expect: ADMIN, denied: on('projects', 'delete', 'spare') }],
  'GET /api/v1/projects/{name}/windows': [
    { ...name('team-a'), expect: READ_A, denied: project('get')('team-a') },
    { ...name('default'), expect: READ_D, denied: project('get')('default') },
  ],
  'GET /api/v1/projects/{name}/roles/{role}/token': [
    { params: { name: 'team-a', role: 'dev' }, expect: ADMIN, denied: project('update')('team-a') },
  ],
  'POST /api/v1/projects/{name}/roles/{role}/token': [
    { params: { name: 'team-a', role: 'dev' }, body: {}, expect: ADMIN, denied: project('update')('team-a') },
  ],
  'DELETE /api/v1/projects/{name}/roles/{role}/token/{id}': [
    { params: { name: 'team-a', role: 'dev', id: NO_SUCH_ID }, expect: ADMIN, denied: project('update')('team-a') },
  ],

  'POST /api/v1/apply': [
    { yaml: pipelineYaml('a', 'team-a'), expect: WRITE_A, denied: on('pipelines', CREATE_OR_UPDATE, 'team-a/a-build') },
    { yaml: pipelineYaml('d', 'default'), expect: ADMIN, denied: on('pipelines', CREATE_OR_UPDATE, 'default/d-build') },
    // team-a's role has no `secrets` line and only `triggers, get`: its Secrets and Triggers are refused to it.
    { yaml: secretYaml('a', 'team-a'), expect: ADMIN, denied: on('secrets', CREATE_OR_UPDATE, 'team-a/a-token') },
    { yaml: triggerYaml('a', 'team-a'), expect: ADMIN, denied: on('triggers', CREATE_OR_UPDATE, 'team-a/a-on-push') },
    // An AppProject or argocd-rbac-cm in an applied file goes to its own use case: no way round projects/rbac.
    { yaml: JSON.stringify(teamProject()), expect: ADMIN, denied: on('projects', 'update', 'team-a') },
    { yaml: JSON.stringify(everyoneAdmin), expect: ADMIN, denied: on('rbac', 'update', '*') },
  ],
  'GET /api/v1/pipelines': [listing('a-build', 'd-build')],
  'GET /api/v1/pipelines/{name}': pair('<p>-build', READ, pipeline('get')),
  'DELETE /api/v1/pipelines/{name}': pair('<p>-gone-$caller', WRITE, pipeline('delete')),
  'POST /api/v1/pipelines/{name}/start': pair(
    '<p>-build',
    WRITE,
    (p) => on('pipelineruns', 'create', new RegExp(`^${p}/`)),
    {
      body: {},
    },
  ),
  'GET /api/v1/pipelineruns': [listing('a-run', 'd-run'), { query: 'pipeline=d-build', expect: ANY }],
  'GET /api/v1/pipelineruns/{name}': pair('<p>-run', READ, run('get')),
  'DELETE /api/v1/pipelineruns/{name}': pair('<p>-gone-$caller', WRITE, run('delete')),
  'POST /api/v1/pipelineruns/{name}/cancel': pair('<p>-run', WRITE, run('cancel'), { body: { mode: 'Cancelled' } }),
  // A rerun reads the run it repeats (a caller without get on it is refused that first), then creates a new one.
  'POST /api/v1/pipelineruns/{name}/rerun': pair('<p>-run', WRITE, (p) =>
    on('pipelineruns', /^(get|create)$/, new RegExp(`^${p}/`)),
  ),
  // The TaskRuns of one PipelineRun are part of reading that run.
  'GET /api/v1/taskruns': [
    listing('a-run-echo', 'd-run-echo'),
    { query: 'pipelineRun=d-run', expect: READ_D, denied: run('get')('default', 'd-run') },
  ],
  'GET /api/v1/taskruns/{name}': pair('<p>-run-echo', READ, taskRun('pipelineruns')),
  'GET /api/v1/taskruns/{name}/logs': pair('<p>-run-echo', READ, taskRun(/^(logs|pipelineruns)$/), {
    query: 'format=text',
  }),
  'GET /api/v1/taskruns/{name}/logs/stream': pair('<p>-run-echo', READ, taskRun(/^(logs|pipelineruns)$/)),
  'GET /api/v1/triggers': [listing('a-on-push', 'd-on-push')],
  'GET /api/v1/triggers/{name}/deliveries': pair('<p>-on-push', READ, trigger),

  'GET /api/v1/repositories': [{ expect: ANY, sees: { 'https://github.com/acme/deploy.git': READ_D } }],
  // Allowed callers get a 400 (a loopback URL while local repositories are off); nobody else gets that far.
  'POST /api/v1/repositories': [
    { body: { url: 'https://127.0.0.1:9/x.git' }, expect: ADMIN, denied: on('repositories', 'create', /127\.0\.0\.1/) },
  ],
  'DELETE /api/v1/repositories': [
    {
      query: `url=${encodeURIComponent(SPARE_REPO_URL)}`,
      expect: ADMIN,
      denied: on('repositories', 'delete', /github\.com\/acme\/spare/),
    },
  ],
  'GET /api/v1/clusters': [{ expect: ANY, sees: { prod: READ_D } }],
  'POST /api/v1/clusters': [
    {
      body: { name: 'matrix', server: 'https://127.0.0.1:9', token: 'x' },
      expect: ADMIN,
      denied: on('clusters', 'create', /127\.0\.0\.1:9/),
    },
  ],
  'DELETE /api/v1/clusters/{name}': [
    { ...name(SPARE_CLUSTER.name), expect: ADMIN, denied: on('clusters', 'delete', SPARE_CLUSTER.server) },
  ],
  // Git webhook secrets are settings of the whole install (which providers have one is no secret).
  'GET /api/v1/settings/webhooks': [{ expect: READ_D, denied: on(/./, 'get', /./) }],
  'PUT /api/v1/settings/webhooks/{provider}': [
    { params: { provider: 'gitlab' }, body: { secret: 'matrix-secret-1' }, expect: ADMIN, denied: on(/./, /./, /./) },
  ],
  'DELETE /api/v1/settings/webhooks/{provider}': [
    { params: { provider: 'bitbucket' }, expect: ADMIN, denied: on(/./, /./, /./) },
  ],

  'GET /api/v1/applications': [listing('a-web', 'd-web'), { query: 'search=web', ...listing('a-web', 'd-web') }],
  'POST /api/v1/applications': [
    { body: appDoc('a-new', 'team-a'), expect: WRITE_A, denied: app('create')('team-a', 'a-new') },
    { body: appDoc('d-new', 'default'), expect: ADMIN, denied: app('create')('default', 'd-new') },
  ],
  'GET /api/v1/applications/{name}': pair('<p>-web', READ, app('get')),
  'PUT /api/v1/applications/{name}': [
    ...pair('<p>-web', WRITE, app('update')).map((c) => ({
      ...c,
      body: appDoc(c.params!.name, projectOf(c.params!.name)),
    })),
    // Moving team-a's app into `default` needs update there too (Argo CD checks the new project as well).
    {
      ...name('a-web'),
      body: appDoc('a-web', 'default'),
      expect: ADMIN,
      denied: on('applications', 'update', /\/a-web$/),
    },
    // …and taking default's app into team-a needs update on default/d-web, which team-a's role lacks.
    {
      ...name('d-web'),
      body: appDoc('d-web', 'team-a'),
      expect: ADMIN,
      denied: on('applications', 'update', /\/d-web$/),
    },
  ],
  'DELETE /api/v1/applications/{name}': pair('<p>-gone-$caller', WRITE, app('delete'), { query: 'cascade=false' }),
  // Argo CD: a refresh needs only `get` (it is a Get with ?refresh=); a Git webhook may cause one anyway.
  'POST /api/v1/applications/{name}/refresh': pair('<p>-web', READ, app('get'), { body: { hard: false } }),
  'POST /api/v1/applications/{name}/sync': pair('<p>-web', WRITE, app('sync'), { body: {} }),
  'GET /api/v1/applications/{name}/operation': pair('<p>-web', READ, app('get')),
  // Argo CD: TerminateOperation and Rollback need `sync`.
  'DELETE /api/v1/applications/{name}/operation': pair('<p>-web', WRITE, app('sync')),
  'POST /api/v1/applications/{name}/rollback': pair('<p>-web', WRITE, app(SYNC), { body: { id: 1 } }),
  'POST /api/v1/applications/{name}/unpin': pair('<p>-web', WRITE, app(/^(update|sync)$/)),
  'GET /api/v1/applications/{name}/history': pair('<p>-web', READ, app('get')),
  'GET /api/v1/applications/{name}/tree': pair('<p>-web', READ, app('get')),
  'GET /api/v1/applications/{name}/resource': pair('<p>-web', READ, app('get'), { query: 'kind=Deployment&name=web' }),
  'GET /api/v1/applications/{name}/diff': pair('<p>-web', READ, app('get')),
  // The fixture's cluster is not reachable: an allowed caller gets the 404 of a resource outside the (empty) tree.
  'GET /api/v1/applications/{name}/pods': pair('<p>-web', READ, appLogs, { query: 'kind=Deployment&resourceName=web' }),
  'GET /api/v1/applications/{name}/logs': pair('<p>-web', READ, appLogs, {
    query: 'kind=Deployment&resourceName=web&follow=true',
  }),
  // The audit log is role:admin's alone (`audit, get, *`).
  'GET /api/v1/audit': [{ expect: ADMIN, denied: on('audit', 'get', '*') }],
};
