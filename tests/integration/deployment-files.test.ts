import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ZEnv } from '../../lib/env';

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

it('the Kubernetes manifests hold web and workers Deployments with probes, a Service and a Secret', () => {
  const docs = parseAllDocuments(readFileSync('deploy/kubernetes/keelson.yaml', 'utf8')).map(
    (d) =>
      d.toJS() as {
        kind: string;
        metadata: { name: string };
        spec?: { template?: { spec: { containers: Record<string, unknown>[] } } };
      },
  );
  expect(docs.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
    'Deployment/keelson-web',
    'Deployment/keelson-workers',
    'Secret/keelson',
    'Service/keelson',
  ]);
  const web = docs.find((d) => d.metadata.name === 'keelson-web')!.spec!.template!.spec.containers[0];
  expect(web).toHaveProperty('readinessProbe.httpGet.path', '/api/readyz');
  expect(web).toHaveProperty('livenessProbe.httpGet.path', '/api/healthz');
  const workers = docs.find((d) => d.metadata.name === 'keelson-workers')!.spec!.template!.spec.containers[0];
  expect(workers).toHaveProperty('livenessProbe.exec');
});
