import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { parseEnv, ZEnv } from '../../lib/env';
import { ingressByWorkload, kubernetesManifests, manifest, manifestId, selects } from './support/kubernetes-manifests';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const knownVars = new Set([...Object.keys(ZEnv.shape), 'DATABASE_URL']);

it('docker-compose has Postgres 16, web and workers, each with a health check', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'web', 'workers']);
  expect(compose.services.postgres.image).toBe('postgres:16');
  for (const svc of Object.values(compose.services)) {
    expect(svc.healthcheck?.test.length).toBeGreaterThan(1);
  }
  expect(compose.services.web.healthcheck!.test.join(' ')).toContain('/api/readyz');
});

it('web and workers wait for a healthy Postgres, run their role, and get only settings Keelson knows', () => {
  for (const [name, role] of [
    ['web', 'web'],
    ['workers', 'workers'],
  ] as const) {
    const svc = compose.services[name];
    expect(svc.depends_on?.postgres.condition).toBe('service_healthy');
    expect(svc.command?.slice(-2)).toEqual(['--role', role]);
    expect(svc.environment?.DATABASE_URL).toMatch(/^postgres:\/\/keelson:.*@postgres:5432\/keelson$/);
    expect(svc.environment?.KEELSON_SECRET_KEY).toContain('KEELSON_SECRET_KEY');
    const unknown = Object.keys(svc.environment ?? {}).filter((k) => !knownVars.has(k));
    expect(unknown).toEqual([]);
  }
  expect(existsSync('Dockerfile')).toBe(true);
  expect(readFileSync('Dockerfile', 'utf8')).toContain('scripts/start.ts');
});

it('deploy/kubernetes is a kustomization of web and workers (2 replicas each), one Postgres, Services, PDBs, NetworkPolicies and a Secret', () => {
  const docs = kubernetesManifests();
  expect(docs.map(manifestId).sort()).toEqual([
    'Deployment/keelson-web',
    'Deployment/keelson-workers',
    'Namespace/keelson',
    'NetworkPolicy/keelson-default-deny-ingress',
    'NetworkPolicy/keelson-postgres',
    'NetworkPolicy/keelson-web',
    'PodDisruptionBudget/keelson-web',
    'PodDisruptionBudget/keelson-workers',
    'Secret/keelson',
    'Service/keelson',
    'Service/keelson-postgres',
    'StatefulSet/keelson-postgres',
  ]);
  expect(manifest(docs, 'Deployment/keelson-web').spec?.replicas).toBe(2);
  expect(manifest(docs, 'Deployment/keelson-workers').spec?.replicas).toBe(2);
  expect(manifest(docs, 'StatefulSet/keelson-postgres').spec?.volumeClaimTemplates).toHaveLength(1);
  // Each PDB keeps one pod of its Deployment, and selects exactly that Deployment's pods.
  for (const name of ['keelson-web', 'keelson-workers']) {
    const pdb = manifest(docs, `PodDisruptionBudget/${name}`);
    expect(pdb.spec?.minAvailable).toBe(1);
    expect(pdb.spec?.selector).toEqual(manifest(docs, `Deployment/${name}`).spec?.selector);
  }
});

it('web is probed on /api/readyz and /api/healthz, workers on their heartbeat file, and migrations run in an init container', () => {
  const docs = kubernetesManifests();
  const webPod = manifest(docs, 'Deployment/keelson-web').spec!.template!.spec;
  const web = webPod.containers[0];
  expect(web).toHaveProperty('readinessProbe.httpGet.path', '/api/readyz');
  expect(web).toHaveProperty('livenessProbe.httpGet.path', '/api/healthz');
  expect(web.args?.slice(-2)).toEqual(['--role', 'web']);
  expect(webPod.initContainers?.map((c) => c.args?.at(-1))).toEqual(['scripts/migrate.ts']);
  expect(existsSync('scripts/migrate.ts')).toBe(true);
  const workers = manifest(docs, 'Deployment/keelson-workers').spec!.template!.spec.containers[0];
  expect(workers.args?.slice(-2)).toEqual(['--role', 'workers']);
  expect(JSON.stringify(workers.livenessProbe)).toContain('keelson-workers-heartbeat');
  // The heartbeat goes to os.tmpdir(), which must be writable beside a read-only root filesystem.
  expect(workers.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
});

it('every container has resource requests and a memory limit, runs as non-root on a read-only root, and gets only known settings', () => {
  const docs = kubernetesManifests();
  const secret = manifest(docs, 'Secret/keelson');
  expect(Object.keys(secret.stringData ?? {}).filter((k) => !knownVars.has(k) && k !== 'POSTGRES_PASSWORD')).toEqual(
    [],
  );
  // Placeholders Keelson refuses to start with, so no install runs with a published key.
  for (const key of ['KEELSON_SEALING_KEYS', 'KEELSON_SESSION_KEYS'])
    expect(() => ZEnv.parse({ [key]: secret.stringData?.[key] })).toThrow(/at least 32 characters/);
  for (const workload of docs.filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet')) {
    const pod = workload.spec!.template!.spec;
    expect(pod.securityContext?.runAsNonRoot, manifestId(workload)).toBe(true);
    for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
      const where = `${manifestId(workload)} ${c.name}`;
      expect(c.resources?.requests, where).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(c.resources?.limits?.memory, where).toEqual(expect.any(String));
      expect(c.securityContext, where).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
      if (c.image !== 'keelson') continue;
      const unknown = (c.env ?? []).map((e) => e.name).filter((k) => !knownVars.has(k));
      expect(unknown, where).toEqual([]);
    }
  }
});

it('NetworkPolicies: every pod is isolated for ingress; Postgres only from web (migrate included) and workers pods, web on its port from anywhere, workers from nowhere; egress left open', () => {
  const docs = kubernetesManifests();
  expect(ingressByWorkload(docs)).toEqual({
    'Deployment/keelson-web': { isolated: true, from: ['anywhere:http'] },
    'Deployment/keelson-workers': { isolated: true, from: [] },
    'StatefulSet/keelson-postgres': {
      isolated: true,
      from: ['Deployment/keelson-web:postgres', 'Deployment/keelson-workers:postgres'],
    },
  });
  // The default deny selects every pod of the namespace, also ones this kustomization does not make (step pods).
  expect(manifest(docs, 'NetworkPolicy/keelson-default-deny-ingress').spec).toEqual({
    podSelector: {},
    policyTypes: ['Ingress'],
  });
  // The named ports are the containers' ports: migrate runs in the web pod, so it connects as a web pod.
  const postgresPod = manifest(docs, 'StatefulSet/keelson-postgres').spec!.template!.spec;
  expect(postgresPod.containers[0].ports?.map((p) => p.name)).toEqual(['postgres']);
  const webPod = manifest(docs, 'Deployment/keelson-web').spec!.template!.spec;
  expect(webPod.containers[0].ports).toEqual([{ name: 'http', containerPort: 3000 }]);
  expect(webPod.initContainers?.map((c) => c.name)).toEqual(['migrate']);
  // A pipeline step pod in this namespace labelled as the workers (TaskRun labels are the author's) is still refused:
  // the Kubernetes executor always sets tekton.dev/taskRun on it.
  const workersLabels = manifest(docs, 'Deployment/keelson-workers').spec!.template!.metadata.labels;
  const peers = manifest(docs, 'NetworkPolicy/keelson-postgres').spec!.ingress!.flatMap((r) => r.from ?? []);
  expect(peers.some((p) => selects(p.podSelector!, workersLabels))).toBe(true);
  expect(peers.some((p) => selects(p.podSelector!, { ...workersLabels, 'tekton.dev/taskRun': 'build-1' }))).toBe(false);
  for (const policy of docs.filter((d) => d.kind === 'NetworkPolicy')) {
    expect(policy.spec?.policyTypes, manifestId(policy)).toEqual(['Ingress']);
    expect(policy.spec?.egress, manifestId(policy)).toBeUndefined();
  }
});

it('no pod gets a Kubernetes API token or service link variables', () => {
  const workloads = kubernetesManifests().filter((d) => d.spec?.template);
  expect(workloads.map(manifestId).sort()).toEqual([
    'Deployment/keelson-web',
    'Deployment/keelson-workers',
    'StatefulSet/keelson-postgres',
  ]);
  for (const w of workloads)
    expect(w.spec!.template!.spec, manifestId(w)).toMatchObject({
      automountServiceAccountToken: false,
      enableServiceLinks: false,
    });
});

it('secret.yaml holds only placeholders Keelson refuses to start with, the database password included', () => {
  const secret = manifest(kubernetesManifests(), 'Secret/keelson');
  expect(() => parseEnv({ DATABASE_URL: secret.stringData?.DATABASE_URL })).toThrow(
    /DATABASE_URL: its password is the placeholder CHANGE-ME/,
  );
  expect(secret.stringData?.POSTGRES_PASSWORD).toBe('CHANGE-ME');
});

it('scripts/migrate.ts (the init container, npm run db:migrate) migrates an empty database and exits 0', async () => {
  const adminUrl = inject('postgresAdminUrl');
  const name = `mi_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  try {
    const run = spawnSync('node', ['--import', 'tsx', 'scripts/migrate.ts'], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: url },
      encoding: 'utf8',
    });
    expect(run.stdout).toContain('[migrate] the database schema is up to date');
    expect(run.status).toBe(0);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const applied = await db.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    await db.end();
    expect(applied.rows[0].n).toBe(readdirSync('db/migrations').filter((f) => f.endsWith('.sql')).length);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
});
