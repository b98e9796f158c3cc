import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLocalExecutor } from '../../../lib/adapters/executors/local';
import { runPlan, step } from '../executor-local-helpers';
import { testLocalHost } from '../support/local-host';
import { startOutsideHost, type OutsideHost } from '../support/outside-host';

/**
 * Issue 10, holes 3 and 4: a step is hostile. It must not run as host root, see the worker's
 * environment, reach anything on the host's loopback (Postgres, the Keelson API), or read the data
 * dir, and without a sandbox it must not run at all unless the operator opted in.
 */

/** The host's first non-loopback IPv4 address: its own, so no more reachable from a step than 127.0.0.1. */
function hostAddress(): string {
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  throw new Error('this host has no non-loopback IPv4 address for steps to reach');
}

const servers: net.Server[] = [];
async function listen(host: string): Promise<number> {
  const server = net.createServer((socket) => socket.end('hello from the host\n'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A step script that prints "open" or "closed" for a TCP connection (bash's /dev/tcp, 3 s at most). */
const probe = (host: string, port: number) =>
  `if timeout 3 bash -c 'exec 3<>/dev/tcp/${host}/${port}' 2>/dev/null; then echo open; else echo closed; fi`;

let loopbackPort: number;
let hostPort: number;
let outside: OutsideHost;
beforeAll(async () => {
  loopbackPort = await listen('127.0.0.1');
  hostPort = await listen(hostAddress());
  outside = await startOutsideHost();
});
afterAll(async () => {
  outside?.close();
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
});

describe('a step runs unprivileged', () => {
  it('writes files as an unprivileged host user, not root', async () => {
    const run = await runPlan({}, [step('who', { script: 'echo mine > /workspace/source/made-by-step' })]);
    expect(run.outcome).toMatchObject({ status: 'Succeeded', sandbox: 'bubblewrap' });
    const made = await stat(path.join(run.sourceDir, 'made-by-step'));
    expect(made.uid).not.toBe(0);
    expect(made.gid).not.toBe(0);
  });

  it('has no capabilities, even as root of its own user namespace', async () => {
    const run = await runPlan({}, [step('caps', { script: 'grep -E "^Cap(Eff|Prm|Bnd):" /proc/self/status' })]);
    expect(run.text).toEqual(['CapPrm:\t0000000000000000', 'CapEff:\t0000000000000000', 'CapBnd:\t0000000000000000']);
  });

  it('cannot read a data dir file that only Keelson may read, even when it can see the path', async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'keelson-datadir-'));
    await chmod(parent, 0o755);
    const dataDir = path.join(parent, 'data');
    await mkdir(dataDir, { mode: 0o700 });
    await writeFile(path.join(dataDir, 'secret-key'), 'planted-secret-key\n', { mode: 0o600 });
    // As if the step had escaped its mount namespace: the data dir's parent is shown to it.
    const run = await runPlan({ extraReadOnlyPaths: [parent] }, [
      step('steal', { script: `cat ${dataDir}/secret-key || echo refused` }),
    ]);
    expect(run.outcome.sandbox).toBe('bubblewrap');
    expect(run.text).toContain('refused');
    expect(run.text.join('\n')).not.toContain('planted-secret-key');
  });
  it("sees an empty folder where Keelson's data dir lies inside a folder shown to steps (an install under /opt)", async () => {
    const install = await mkdtemp(path.join(os.tmpdir(), 'keelson-install-'));
    await chmod(install, 0o755);
    const dataDir = path.join(install, '.keelson');
    // World-readable on purpose: this proves the mount hides it, not the permissions.
    await mkdir(dataDir, { mode: 0o755 });
    await writeFile(path.join(dataDir, 'secret-key'), 'planted-install-secret\n', { mode: 0o644 });
    await writeFile(path.join(install, 'package.json'), '{}\n');
    const run = await runPlan({ extraReadOnlyPaths: [install], hiddenPaths: [dataDir] }, [
      step('look', {
        script: `ls ${install}; ls -A ${dataDir} | wc -l; cat ${dataDir}/secret-key 2>/dev/null || echo refused`,
      }),
    ]);
    expect(run.outcome.status).toBe('Succeeded');
    expect(run.text).toEqual(['package.json', '0', 'refused']);
  });
});

describe('a step sees nothing of the worker', () => {
  it('cannot read the worker environment, and a secret in it never reaches the logs', async () => {
    const secret = `worker-secret-${process.pid}-${Date.now()}`;
    process.env.KEELSON_TEST_WORKER_SECRET = secret;
    try {
      const run = await runPlan({}, [
        step('environ', {
          script: [
            `cat /proc/${process.pid}/environ 2>/dev/null | tr '\\0' '\\n' || true`,
            'for p in /proc/[0-9]*; do cat "$p/environ" 2>/dev/null | tr "\\0" "\\n"; done',
            'env',
            `test -e /proc/${process.pid} && echo "worker pid visible" || echo "worker pid hidden"`,
          ].join('\n'),
        }),
      ]);
      expect(run.outcome.status).toBe('Succeeded');
      expect(run.text.join('\n')).not.toContain(secret);
      expect(run.text.join('\n')).not.toContain('KEELSON_TEST_WORKER_SECRET');
      // The step's pid namespace holds only its own processes (and a pid that happens to match is not the worker).
      expect(run.text.some((l) => l === 'worker pid hidden' || l === 'worker pid visible')).toBe(true);
    } finally {
      delete process.env.KEELSON_TEST_WORKER_SECRET;
    }
  });
});

describe('a step cannot read the worker environment through a missing sandbox', () => {
  it('runs nothing, so the worker environ stays unread, when bubblewrap is missing', async () => {
    const secret = `worker-secret-${process.pid}-${Date.now()}-fallback`;
    process.env.KEELSON_TEST_WORKER_SECRET = secret;
    try {
      const run = await runPlan({ bwrapPath: '/nonexistent/bwrap' }, [
        step('environ', { script: `tr '\\0' '\\n' < /proc/${process.pid}/environ` }),
      ]);
      expect(run.outcome.status).toBe('Failed');
      expect(run.text.join('\n')).not.toContain(secret);
    } finally {
      delete process.env.KEELSON_TEST_WORKER_SECRET;
    }
  });
});

describe('a step has its own network', () => {
  it("reaches an outside host, but nothing on the host loopback, the host's own address or link-local (outbound)", async () => {
    const run = await runPlan({}, [
      step('outside', { script: probe(outside.address, outside.port) }),
      step('loopback', { script: probe('127.0.0.1', loopbackPort) }),
      step('slirp-gateway', { script: probe('10.0.2.2', loopbackPort) }),
      step('host', { script: probe(hostAddress(), hostPort) }),
      step('metadata', { script: probe('169.254.169.254', 80) }),
      step('routes', { script: 'ip route show | grep -c blackhole' }),
    ]);
    expect(run.outcome).toMatchObject({ status: 'Succeeded', sandbox: 'bubblewrap' });
    expect(run.text.slice(0, 5)).toEqual(['open', 'closed', 'closed', 'closed', 'closed']);
    expect(Number(run.text[5])).toBeGreaterThanOrEqual(2);
  });

  it("never reaches the ranges an operator denies (KEELSON_STEP_DENY_CIDRS), e.g. the database's network in docker compose", async () => {
    const run = await runPlan({ stepDenyCidrs: [`${outside.address}/32`] }, [
      step('outside', { script: probe(outside.address, outside.port) }),
    ]);
    expect(run.outcome.status).toBe('Succeeded');
    expect(run.text).toEqual(['closed']);
  });

  it('cannot remove the routes that keep it from the host', async () => {
    const run = await runPlan({}, [
      step('unroute', { script: 'ip route del blackhole 169.254.0.0/16 2>/dev/null && echo removed || echo refused' }),
      step('host', { script: probe(hostAddress(), hostPort) }),
    ]);
    expect(run.text).toEqual(['refused', 'closed']);
  });

  it('cannot reach the embedded Postgres of the test database', async () => {
    const url = new URL(inject('postgresAdminUrl'));
    const port = Number(url.port || 5432);
    // The test's own Postgres is reachable from here: the refusal below is the sandbox's doing.
    await new Promise<void>((resolve, reject) =>
      net
        .connect(port, url.hostname, function (this: net.Socket) {
          this.destroy();
          resolve();
        })
        .on('error', reject),
    );
    const run = await runPlan({}, [step('psql', { script: probe('127.0.0.1', port) })]);
    expect(run.text).toEqual(['closed']);
  });

  it('has loopback only with KEELSON_STEP_NETWORK=none', async () => {
    const run = await runPlan({ stepNetwork: 'none' }, [
      step('host', { script: probe(hostAddress(), hostPort) }),
      step('loopback', { script: probe('127.0.0.1', loopbackPort) }),
    ]);
    expect(run.outcome.status).toBe('Succeeded');
    expect(run.text).toEqual(['closed', 'closed']);
  });

  it('cannot reconfigure its network', async () => {
    const run = await runPlan({}, [
      step('ip', { script: 'ip link set tap0 down 2>/dev/null && echo changed || echo refused' }),
    ]);
    expect(run.text).toEqual(['refused']);
  });
});

describe('without a sandbox, steps do not run', () => {
  const missing = { bwrapPath: '/nonexistent/bwrap' };

  it('fails the TaskRun with how to fix it, and runs no step', async () => {
    const run = await runPlan(missing, [step('a', { script: 'touch /workspace/source/ran' })]);
    expect(run.outcome).toMatchObject({ status: 'Failed', reason: 'Failed', sandbox: 'none' });
    expect(run.outcome.message).toMatch(/Install bubblewrap/);
    expect(run.outcome.message).toMatch(/KEELSON_ALLOW_UNSANDBOXED=true/);
    expect(run.outcome.steps).toEqual([
      { name: 'a', exitCode: null, startedAt: null, finishedAt: null, reason: 'Skipped' },
    ]);
    expect(run.events).toEqual([]);
    expect(existsSync(path.join(run.sourceDir, 'ran'))).toBe(false);
  });

  it('says so at start-up', async () => {
    const status = await createLocalExecutor(testLocalHost, missing).sandboxStatus();
    expect(status).toMatchObject({
      sandbox: 'none',
      error: expect.stringMatching(/Install bubblewrap.*KEELSON_ALLOW_UNSANDBOXED=true/s),
    });
  });

  it('ignores a request for plain processes unless the operator opted in', async () => {
    const run = await runPlan({ forceFallback: true }, [step('who', { script: 'echo mine > /workspace/source/made' })]);
    expect(run.outcome.sandbox).toBe('bubblewrap');
    expect((await stat(path.join(run.sourceDir, 'made'))).uid).not.toBe(0);
  });

  it('runs plain processes only with KEELSON_ALLOW_UNSANDBOXED', async () => {
    const run = await runPlan({ ...missing, allowUnsandboxed: true }, [step('a', { script: 'echo ran' })]);
    expect(run.outcome).toMatchObject({ status: 'Succeeded', sandbox: 'none' });
    expect(run.text).toEqual(['ran']);
    expect(
      await createLocalExecutor(testLocalHost, { ...missing, allowUnsandboxed: true }).sandboxStatus(),
    ).toMatchObject({
      sandbox: 'none',
      warning: expect.stringMatching(/KEELSON_ALLOW_UNSANDBOXED/),
    });
  });
});
