import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { binaryPath, clusterSrcDir } from '../../cluster/binaries';

const fixtures = join(clusterSrcDir, '..', 'fixtures', 'render');
const helm = binaryPath('helm');
const kustomize = binaryPath('kustomize');
const toolsPresent = existsSync(helm) && existsSync(kustomize);
if (!toolsPresent && process.env.CI === 'true')
  throw new Error(`helm/kustomize not built (${helm}); run tests/cluster/build.sh`);

interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: {
    replicas?: number;
    selector?: Record<string, string>;
    template?: { spec?: { containers?: { image: string }[] } };
  };
}

const parse = (out: string): Manifest[] =>
  parseAllDocuments(out)
    .map((d) => d.toJSON() as Manifest | null)
    .filter((m): m is Manifest => m !== null);

describe.skipIf(!toolsPresent)('manifest renderer binaries', () => {
  it('helm template renders a chart with values overrides', () => {
    const out = execFileSync(
      helm,
      ['template', 'demo', join(fixtures, 'helm-chart'), '--namespace', 'apps', '--set', 'replicas=4'],
      { encoding: 'utf8' },
    );
    const docs = parse(out);
    const cm = docs.find((d) => d.kind === 'ConfigMap');
    const dep = docs.find((d) => d.kind === 'Deployment');
    expect(cm?.metadata.name).toBe('demo-config');
    expect(cm?.data).toEqual({ greeting: 'hello', namespace: 'apps' });
    expect(dep?.spec?.replicas).toBe(4);
    expect(dep?.spec?.template?.spec?.containers?.[0]?.image).toBe('example.invalid/web:1.0.0');
  });

  it('kustomize build applies prefixes, labels and generators', () => {
    const out = execFileSync(kustomize, ['build', join(fixtures, 'kustomize')], { encoding: 'utf8' });
    const docs = parse(out);
    const svc = docs.find((d) => d.kind === 'Service');
    const cm = docs.find((d) => d.kind === 'ConfigMap');
    expect(svc?.metadata.name).toBe('prod-web');
    expect(svc?.metadata.labels).toEqual({ env: 'prod' });
    expect(svc?.spec?.selector).toEqual({ app: 'web', env: 'prod' });
    expect(cm?.metadata.name).toMatch(/^prod-settings-[a-z0-9]{10}$/);
    expect(cm?.data).toEqual({ LOG_LEVEL: 'debug' });
  });

  it('helm reports a broken chart as an error', () => {
    expect(() =>
      execFileSync(helm, ['template', 'x', join(fixtures, 'does-not-exist')], { encoding: 'utf8', stdio: 'pipe' }),
    ).toThrow(/path .* not found|no such file/i);
  });
});
