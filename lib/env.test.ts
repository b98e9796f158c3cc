import { describe, expect, it } from 'vitest';
import { DEFAULT_ENTRYPOINT_IMAGE, DEFAULT_SHELL_IMAGE } from './domain/pipeline/kubernetes/images';
import { hostEnvironment, parseEnv, type HostVariable } from './env';

describe('step process settings', () => {
  it('reads KEELSON_STEP_NICE as an integer niceness, clamped to -20..19, 10 when unset or not a number', () => {
    expect(parseEnv({}).KEELSON_STEP_NICE).toBe(10);
    expect(parseEnv({ KEELSON_STEP_NICE: '0' }).KEELSON_STEP_NICE).toBe(0);
    expect(parseEnv({ KEELSON_STEP_NICE: '5.7' }).KEELSON_STEP_NICE).toBe(5);
    expect(parseEnv({ KEELSON_STEP_NICE: '40' }).KEELSON_STEP_NICE).toBe(19);
    expect(parseEnv({ KEELSON_STEP_NICE: '-40' }).KEELSON_STEP_NICE).toBe(-20);
    expect(parseEnv({ KEELSON_STEP_NICE: 'low' }).KEELSON_STEP_NICE).toBe(10);
  });

  it('uses the Node spawner only when KEELSON_STEP_SPAWNER is node', () => {
    expect(parseEnv({}).KEELSON_STEP_SPAWNER).toBe('auto');
    expect(parseEnv({ KEELSON_STEP_SPAWNER: 'node' }).KEELSON_STEP_SPAWNER).toBe('node');
    expect(parseEnv({ KEELSON_STEP_SPAWNER: 'python' }).KEELSON_STEP_SPAWNER).toBe('auto');
  });

  it('keeps the host PATH and the build cache folder as given', () => {
    const e = parseEnv({ PATH: '/usr/bin:/bin', KEELSON_CACHE_DIR: '/opt/cache' });
    expect(e.PATH).toBe('/usr/bin:/bin');
    expect(e.KEELSON_CACHE_DIR).toBe('/opt/cache');
  });
});

describe('hostEnvironment', () => {
  it('hands on only the named variables this process has', () => {
    const before = process.env.NO_PROXY;
    delete process.env.NO_PROXY;
    try {
      const handed = hostEnvironment(['PATH', 'NO_PROXY']);
      expect(Object.keys(handed)).toEqual(['PATH']);
      expect(hostEnvironment([])).toEqual({});
    } finally {
      if (before !== undefined) process.env.NO_PROXY = before;
    }
  });

  it.each(['KEELSON_SEALING_KEYS', 'KEELSON_SESSION_KEYS', 'DATABASE_URL', 'KEELSON_OIDC_CLIENT_SECRET', 'HOME'])(
    'refuses to hand a child %s, even past the type',
    (name) => {
      expect(() => hostEnvironment([name as HostVariable])).toThrow(/not a variable a child process may be handed/);
    },
  );
});

describe('pod policy settings', () => {
  it('reads KEELSON_ALLOW_PRIVILEGED_PODS (default false) and the KEELSON_POD_* allow-lists (default none)', () => {
    const none = parseEnv({});
    expect(none.KEELSON_ALLOW_PRIVILEGED_PODS).toBe('false');
    expect([none.KEELSON_POD_RUNTIME_CLASSES, none.KEELSON_POD_SCHEDULERS, none.KEELSON_POD_PRIORITY_CLASSES]).toEqual([
      [],
      [],
      [],
    ]);
    const e = parseEnv({
      KEELSON_ALLOW_PRIVILEGED_PODS: 'true',
      KEELSON_POD_RUNTIME_CLASSES: 'gvisor, kata',
      KEELSON_POD_SCHEDULERS: 'batch',
      KEELSON_POD_PRIORITY_CLASSES: 'ci-low,,ci-high',
    });
    expect(e.KEELSON_ALLOW_PRIVILEGED_PODS).toBe('true');
    expect(e.KEELSON_POD_RUNTIME_CLASSES).toEqual(['gvisor', 'kata']);
    expect(e.KEELSON_POD_SCHEDULERS).toEqual(['batch']);
    expect(e.KEELSON_POD_PRIORITY_CLASSES).toEqual(['ci-low', 'ci-high']);
  });

  it('refuses an entry that is no Kubernetes name, naming the variable', () => {
    expect(() => parseEnv({ KEELSON_POD_PRIORITY_CLASSES: 'Ci Low' })).toThrow(/KEELSON_POD_PRIORITY_CLASSES/);
    expect(() => parseEnv({ KEELSON_ALLOW_PRIVILEGED_PODS: 'yes' })).toThrow(/KEELSON_ALLOW_PRIVILEGED_PODS/);
  });
});

describe('pod image settings', () => {
  it('reads KEELSON_ENTRYPOINT_IMAGE and KEELSON_SHELL_IMAGE, defaulting to the pinned Tekton entrypoint and busybox', () => {
    const none = parseEnv({});
    expect(none.KEELSON_ENTRYPOINT_IMAGE).toBe(DEFAULT_ENTRYPOINT_IMAGE);
    expect(none.KEELSON_SHELL_IMAGE).toBe(DEFAULT_SHELL_IMAGE);
    const e = parseEnv({
      KEELSON_ENTRYPOINT_IMAGE: ' mirror.corp.example:5000/tekton/entrypoint:v1.15.0 ',
      KEELSON_SHELL_IMAGE: 'mirror.corp.example:5000/library/busybox@sha256:' + 'a'.repeat(64),
    });
    expect(e.KEELSON_ENTRYPOINT_IMAGE).toBe('mirror.corp.example:5000/tekton/entrypoint:v1.15.0');
    expect(e.KEELSON_SHELL_IMAGE).toBe(`mirror.corp.example:5000/library/busybox@sha256:${'a'.repeat(64)}`);
  });

  it('refuses a reference that is no image name, naming the variable', () => {
    expect(() => parseEnv({ KEELSON_ENTRYPOINT_IMAGE: 'Mirror/Entrypoint:v1' })).toThrow(
      /KEELSON_ENTRYPOINT_IMAGE: .*lower case/,
    );
    expect(() => parseEnv({ KEELSON_SHELL_IMAGE: 'busybox:bad tag' })).toThrow(/KEELSON_SHELL_IMAGE/);
  });
});

describe('retention settings', () => {
  it('keeps logs 30 days and every run by default, and reads both settings', () => {
    expect(parseEnv({}).KEELSON_LOG_RETENTION_DAYS).toBe(30);
    expect(parseEnv({}).KEELSON_RUN_RETENTION).toEqual({});
    expect(parseEnv({ KEELSON_LOG_RETENTION_DAYS: '0' }).KEELSON_LOG_RETENTION_DAYS).toBe(0);
    expect(parseEnv({ KEELSON_RUN_RETENTION: 'keep=50,max-age=90d' }).KEELSON_RUN_RETENTION).toEqual({
      keep: 50,
      maxAgeMs: 90 * 86_400_000,
    });
  });

  it('refuses a bad value, naming the variable and what to write', () => {
    expect(() => parseEnv({ KEELSON_LOG_RETENTION_DAYS: '-1' })).toThrow(
      /KEELSON_LOG_RETENTION_DAYS: must be 0 \(keep logs as long as their run\) or more days/,
    );
    expect(() => parseEnv({ KEELSON_LOG_RETENTION_DAYS: 'month' })).toThrow(
      /KEELSON_LOG_RETENTION_DAYS: must be a whole/,
    );
    expect(() => parseEnv({ KEELSON_RUN_RETENTION: 'keep=all' })).toThrow(
      /KEELSON_RUN_RETENTION: keep=all: keep wants a whole number of runs/,
    );
  });
});

describe('controller sharding settings', () => {
  it('leases a controller membership 15 s by default and reads KEELSON_CONTROLLER_LEASE_SECONDS', () => {
    expect(parseEnv({}).KEELSON_CONTROLLER_LEASE_SECONDS).toBe(15);
    expect(parseEnv({ KEELSON_CONTROLLER_LEASE_SECONDS: '30' }).KEELSON_CONTROLLER_LEASE_SECONDS).toBe(30);
  });

  it('refuses a lease too short to renew or not a number, naming the variable', () => {
    expect(() => parseEnv({ KEELSON_CONTROLLER_LEASE_SECONDS: '1' })).toThrow(
      /KEELSON_CONTROLLER_LEASE_SECONDS: must be 3 seconds or more/,
    );
    expect(() => parseEnv({ KEELSON_CONTROLLER_LEASE_SECONDS: 'soon' })).toThrow(
      /KEELSON_CONTROLLER_LEASE_SECONDS: must be a whole number of seconds/,
    );
  });
});

describe('DATABASE_URL', () => {
  it('refuses the CHANGE-ME password of deploy/kubernetes/secret.yaml (also percent-encoded), naming the variable and the fix', () => {
    for (const url of [
      'postgres://keelson:CHANGE-ME@keelson-postgres:5432/keelson',
      'postgresql://keelson:CHANGE%2DME@db.internal/keelson?sslmode=require',
    ]) {
      expect(() => parseEnv({ DATABASE_URL: url }), url).toThrow(
        /DATABASE_URL: its password is the placeholder CHANGE-ME .*openssl rand -hex 24.*POSTGRES_PASSWORD/,
      );
    }
  });

  it('accepts a real password, a URL without one, and leaves the URL as given', () => {
    const url = 'postgres://keelson:3f9c1e0b7a2d4c6e8f1a3b5c7d9e0f12@keelson-postgres:5432/keelson';
    expect(parseEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    expect(parseEnv({ DATABASE_URL: 'postgres://localhost/keelson' }).DATABASE_URL).toBe(
      'postgres://localhost/keelson',
    );
    expect(parseEnv({ DATABASE_URL: 'postgres://keelson:change-me-not@h/k' }).DATABASE_URL).toContain('change-me-not');
  });
});
