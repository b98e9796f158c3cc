import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../lib/adapters/net/free-port';
import { missingControlPlaneBinaries } from '../../cluster/binaries';
import { realNodeProblems } from '../../cluster/control-plane/real-node/requirements';
import { startCluster, type RunningCluster } from '../../cluster/control-plane/start';
import { startApp } from './app-process';
import { ALLOWED_GROUPS, startOidcServer } from './oidc-server';

export const ADMIN_PASSWORD = 'e2e-admin-password';

/** One Keelson (embedded Postgres, web, workers) and one OIDC provider for the whole e2e run. */
export default async function globalSetup() {
  const appPort = await freePort();
  const oidcPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const oidc = await startOidcServer(oidcPort, `${appUrl}/api/auth/callback/oidc`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keelson-e2e-'));
  // The real control plane for the Sync/Rollback browser test; CI builds its binaries first.
  let cluster: RunningCluster | undefined;
  if (missingControlPlaneBinaries().length === 0) {
    // With a real node where the host can run one (pod logs in the browser); KEELSON_TEST_REAL_NODE=0 leaves it out.
    const problems = realNodeProblems();
    const realNode = process.env.KEELSON_TEST_REAL_NODE !== '0' && problems.length === 0;
    if (!realNode && process.env.KEELSON_TEST_REAL_NODE !== '0') {
      if (process.env.CI === 'true') throw new Error(`e2e needs the real node under CI: ${problems.join('; ')}`);
      console.warn(`\n!!!!! E2E WITHOUT A REAL NODE (real pod logs skipped): ${problems.join('; ')} !!!!!\n`);
    }
    cluster = await startCluster({ dir: path.join(dataDir, 'cluster'), log: () => undefined, realNode });
    process.env.KEELSON_E2E_KUBECONFIG = cluster.kubeconfigPath;
    process.env.KEELSON_E2E_REAL_NODE = cluster.realNode ? JSON.stringify(cluster.realNode) : '';
  } else if (process.env.CI) {
    throw new Error(
      `e2e needs the test control plane: ${missingControlPlaneBinaries().join(', ')} missing (bash tests/cluster/build.sh)`,
    );
  }
  const app = await startApp({
    PORT: String(appPort),
    KEELSON_URL: appUrl,
    KEELSON_DATA_DIR: dataDir,
    KEELSON_ADMIN_PASSWORD: ADMIN_PASSWORD,
    KEELSON_OIDC_ISSUER: oidc.issuer,
    KEELSON_OIDC_CLIENT_ID: oidc.clientId,
    KEELSON_OIDC_CLIENT_SECRET: oidc.clientSecret,
    KEELSON_OIDC_SCOPES: 'openid profile email groups',
    KEELSON_OIDC_NAME: 'Test SSO',
    KEELSON_OIDC_ALLOWED_GROUPS: ALLOWED_GROUPS.join(','),
    // Many tests log in from 127.0.0.1; the per-user limit is what the rate-limit test trips.
    KEELSON_LOGIN_IP_RATE_LIMIT: '1000',
    // Test repositories are local folders.
    KEELSON_ALLOW_LOCAL_REPOS: 'true',
  });
  process.env.KEELSON_E2E_URL = app.url;
  // Specs that stand in for housekeeping (log retention) reach the app's embedded Postgres through its data dir.
  process.env.KEELSON_E2E_DATA_DIR = dataDir;
  process.env.KEELSON_E2E_ADMIN_PASSWORD = ADMIN_PASSWORD;
  return async () => {
    const code = await app.stop();
    await oidc.stop();
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (code !== 0) console.error(`Keelson exited with ${code}:\n${app.output().slice(-3000)}`);
  };
}
