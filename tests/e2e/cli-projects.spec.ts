import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request as newRequest, type APIRequestContext } from '@playwright/test';
import { stringify } from 'yaml';
import { ARGO_CD_SAMPLE_RBAC_CM } from '../fixtures/access/argocd-rbac-cm';
import { adminPassword, apiLogin, appUrl, createToken, expect, test } from './support/fixtures';
import { keelsonCli } from './support/keelson-cli';

/** `keelson proj …` and `keelson apply -f argocd-rbac-cm.yaml` with the real CLI against the started server. */
const SAMPLE = path.resolve('tests/fixtures/gitops/projects/argocd-project-sample.yaml');
let env: Record<string, string>;
let api: APIRequestContext;

const keelson = keelsonCli(() => env);

test.beforeAll(async () => {
  api = await newRequest.newContext({ baseURL: appUrl() });
  await apiLogin(api, 'admin', adminPassword());
  const { token } = await createToken(api, 'cli projects');
  env = {
    KEELSON_CONFIG: path.join(mkdtempSync(path.join(os.tmpdir(), 'kproj-')), 'c.json'),
    KEELSON_SERVER: appUrl(),
    KEELSON_TOKEN: token,
  };
});

test.afterAll(async () => {
  await api.delete('/api/v1/projects/my-project');
  await api.dispose();
});

test("proj create / list / get / windows list with Argo CD's sample AppProject", async () => {
  const created = await keelson(['proj', 'create', '-f', SAMPLE]);
  expect(created.code, created.stderr).toBe(0);
  expect(created.stdout).toContain("project 'my-project' created");
  expect(created.stderr).toContain('spec.sourceNamespaces');
  const again = await keelson(['proj', 'create', '-f', SAMPLE]);
  expect(again.stdout).toContain("project 'my-project' unchanged");

  const list = await keelson(['proj', 'list']);
  expect(list.stdout).toMatch(/^NAME\s+DESCRIPTION\s+DESTINATIONS/);
  expect(list.stdout).toContain('my-project');
  expect(list.stdout).toContain('default');

  const yaml = await keelson(['proj', 'get', 'my-project', '-o', 'yaml']);
  expect(yaml.stdout).toContain('kind: AppProject');
  expect(yaml.stdout).toContain('- p, proj:my-project:ci-role, applications, sync, my-project/guestbook-dev, allow');
  const json = await keelson(['proj', 'get', 'my-project', '-o', 'json']);
  expect(JSON.parse(json.stdout).spec.description).toBe('Example Project');

  const windows = await keelson(['proj', 'windows', 'list', 'my-project']);
  const lines = windows.stdout.trim().split('\n');
  expect(lines[0].split(/\s{2,}/)).toEqual([
    'KIND',
    'SCHEDULE',
    'DURATION',
    'APPLICATIONS',
    'NAMESPACES',
    'CLUSTERS',
    'MANUALSYNC',
    'ACTIVE',
  ]);
  expect(lines[1]).toMatch(/^allow\s+10 1 \* \* \*\s+1h\s+\*-prod\s+-\s+-\s+Enabled\s+(Active|Inactive)$/);
  expect(lines).toHaveLength(4);

  const invalid = path.join(mkdtempSync(path.join(os.tmpdir(), 'kproj-')), 'bad.yaml');
  writeFileSync(
    invalid,
    'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: bad}\nspec: {sourceRepo: []}\n',
  );
  const bad = await keelson(['proj', 'create', '-f', invalid]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('400');
});

test('proj role create-token / list-tokens / delete-token: the token acts as the project role, then stops', async () => {
  const created = await keelson(['proj', 'role', 'create-token', 'my-project', 'ci-role', '--expires-in', '24h']);
  expect(created.code, created.stderr).toBe(0);
  const token = created.stdout.trim();
  expect(token).toMatch(/^kls_/);

  const asRole = await newRequest.newContext({
    baseURL: appUrl(),
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  try {
    // The role may see its project (Argo CD gives every role get on it) but change nothing outside its policy.
    expect((await asRole.get('/api/v1/projects/my-project')).status()).toBe(200);
    const other = await asRole.delete('/api/v1/projects/my-project');
    expect(other.status()).toBe(403);
    expect(((await other.json()) as { error: { denied: unknown } }).error.denied).toEqual({
      resource: 'projects',
      action: 'delete',
      object: 'my-project',
    });
    expect((await asRole.post('/api/v1/tokens', { data: { name: 'escalate' } })).status()).toBe(403);

    const listed = await keelson(['proj', 'role', 'list-tokens', 'my-project', 'ci-role']);
    expect(listed.stdout).toMatch(/^ID\s+ISSUED AT\s+EXPIRES AT/);
    const id = listed.stdout.trim().split('\n')[1].split(/\s+/)[0];
    const deleted = await keelson(['proj', 'role', 'delete-token', 'my-project', 'ci-role', id]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await asRole.get('/api/v1/projects/my-project')).status()).toBe(401);
  } finally {
    await asRole.dispose();
  }
});

test('apply -f argocd-rbac-cm.yaml applies the policy; proj delete refuses default and deletes a project', async () => {
  const before = (await (await api.get('/api/v1/settings/rbac')).json()) as { configMap: unknown };
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kproj-')), 'argocd-rbac-cm.yaml');
  writeFileSync(file, stringify(ARGO_CD_SAMPLE_RBAC_CM));
  try {
    const applied = await keelson(['apply', '-f', file]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout.trim()).toMatch(/^configmap\/argocd-rbac-cm (configured|unchanged)$/);
    const view = (await (await api.get('/api/v1/settings/rbac')).json()) as { roles: string[] };
    expect(view.roles).toContain('role:org-admin');
    const got = await keelson(['admin', 'rbac', 'get']);
    expect(got.stdout).toContain('p, role:org-admin, applications, *, */*, allow');
  } finally {
    await api.put('/api/v1/settings/rbac', { data: before.configMap });
  }
  const refused = await keelson(['proj', 'delete', 'default']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('default project cannot be deleted');
  const gone = await keelson(['proj', 'delete', 'my-project']);
  expect(gone.code, gone.stderr).toBe(0);
  expect((await keelson(['proj', 'get', 'my-project'])).stderr).toContain('404');
});
