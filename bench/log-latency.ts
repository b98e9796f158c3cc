import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { freePort } from '../lib/adapters/net/free-port';
import { startApp, type AppProcess } from '../tests/e2e/support/app-process';
import { readEvents } from '../cli/sse';
import { ZLogChunk } from '../cli/responses';
import { ZCreatedToken } from '../lib/schemas/tokens';
import { fmt, percentile } from './support';

const PASSWORD = 'bench-admin-password';
const ZApplied = z.object({ runs: z.array(z.object({ name: z.string() })) });

/**
 * Log latency as a user sees it: a step prints its own clock every 100 ms; an SSE client of the real
 * server (`npm start`'s processes, embedded Postgres) subtracts that from its clock on arrival.
 */
export async function measureLogLatency(url?: string): Promise<void> {
  let app: AppProcess | undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keelson-bench-app-'));
  try {
    if (!url) {
      const port = await freePort();
      app = await startApp({
        PORT: String(port),
        KEELSON_DATA_DIR: dataDir,
        KEELSON_ADMIN_PASSWORD: PASSWORD,
        KEELSON_URL: `http://127.0.0.1:${port}`,
      });
      url = app.url;
    }
    const login = await fetch(`${url}/api/v1/session/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: process.env.KEELSON_BENCH_PASSWORD ?? PASSWORD }),
    });
    const { token } = ZCreatedToken.pick({ token: true }).parse(await login.json());
    const auth = { authorization: `Bearer ${token}` };
    const doc = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { generateName: log-latency- }
spec:
  taskSpec:
    steps:
      - name: tick
        image: busybox
        script: |
          for i in $(seq 1 40); do echo "tick $(date +%s%3N)"; sleep 0.1; done
`;
    const applied = await fetch(`${url}/api/v1/apply`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/yaml' },
      body: doc,
    });
    const { runs } = ZApplied.parse(await applied.json());
    const res = await fetch(`${url}/api/v1/taskruns/${runs[0].name}/logs/stream`, { headers: auth });
    const latencies: number[] = [];
    for await (const ev of readEvents(res)) {
      if (ev.event === 'end') break;
      if (ev.event !== 'chunk') continue;
      const arrived = Date.now();
      for (const line of ZLogChunk.parse(JSON.parse(ev.data)).lines) {
        const m = /^tick (\d+)$/.exec(line.text);
        if (m) latencies.push(arrived - Number(m[1]));
      }
    }
    console.log(
      `\nLog latency, step write → SSE client (${latencies.length} lines): p50 ${fmt(percentile(latencies, 50))}, p99 ${fmt(percentile(latencies, 99))}, max ${fmt(Math.max(...latencies))}`,
    );
  } finally {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
