import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { bindHost, parseEnv } from '../../../lib/env';
import { kubernetesManifests, manifest } from '../support/kubernetes-manifests';

/** Hole 13 (bind): `npm start` listened on 0.0.0.0. Only containers, which need it, say so explicitly. */
it('listens on 127.0.0.1 unless KEELSON_HOST says otherwise', () => {
  expect(bindHost(parseEnv({}))).toBe('127.0.0.1');
  expect(bindHost(parseEnv({ KEELSON_HOST: '0.0.0.0' }))).toBe('0.0.0.0');
  expect(bindHost(parseEnv({ KEELSON_HOST: '::1', HOSTNAME: '0.0.0.0' }))).toBe('::1');
});

it('honours HOSTNAME only when it is an IP address (Docker, Kubernetes and shells put a host name there)', () => {
  expect(bindHost(parseEnv({ HOSTNAME: '0.0.0.0' }))).toBe('0.0.0.0');
  expect(bindHost(parseEnv({ HOSTNAME: '::' }))).toBe('::');
  expect(bindHost(parseEnv({ HOSTNAME: '3f9c2d1e8a7b' }))).toBe('127.0.0.1');
  expect(bindHost(parseEnv({ HOSTNAME: 'keelson-web-6d4b9c-x2x9z' }))).toBe('127.0.0.1');
});

it('the Docker image, docker-compose and the Kubernetes manifests set KEELSON_HOST=0.0.0.0 explicitly', () => {
  expect(readFileSync('Dockerfile', 'utf8')).toMatch(/^ENV .*\bKEELSON_HOST=0\.0\.0\.0\b/m);
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
    services: { web: { environment: Record<string, string> } };
  };
  expect(compose.services.web.environment.KEELSON_HOST).toBe('0.0.0.0');
  const web = manifest(kubernetesManifests(), 'Deployment/keelson-web');
  expect(web.spec!.template!.spec.containers[0].env).toContainEqual({ name: 'KEELSON_HOST', value: '0.0.0.0' });
});
