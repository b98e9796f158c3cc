/**
 * The real node's local-path provisioner as a process (started by startLocalVolumes, see local-volumes.ts):
 *   node --import tsx local-volumes-process.ts --config <cluster dir>/real-node/local-volumes.json
 * Reconciles every 250 ms and logs what it provisions and deletes; exits on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { type LocalVolumesConfig, reconcileLocalVolumes } from './local-volumes';

const INTERVAL_MS = 250;
const configPath = process.argv[process.argv.indexOf('--config') + 1];
if (!process.argv.includes('--config') || !configPath) {
  process.stderr.write('usage: local-volumes-process.ts --config <file>\n');
  process.exit(2);
}
const config = JSON.parse(readFileSync(configPath, 'utf8')) as LocalVolumesConfig;
const log = (line: string): void => void process.stdout.write(`${new Date().toISOString()} ${line}\n`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => (stopping = true));

log(`local-volumes for node ${config.nodeName}: folders in ${config.volumesDir}`);
let lastError = '';
const reported = new Set<string>(); // a claim that cannot be provisioned is logged once
while (!stopping) {
  try {
    const r = await reconcileLocalVolumes(config);
    for (const p of r.provisioned) log(`provisioned ${p}`);
    for (const d of r.deleted) log(`deleted ${d} and its folder`);
    for (const p of r.problems.filter((x) => !reported.has(x))) {
      reported.add(p);
      log(`problem: ${p}`);
    }
    lastError = '';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message !== lastError) log(`reconcile failed (retrying): ${message}`);
    lastError = message;
  }
  await new Promise((r) => setTimeout(r, INTERVAL_MS));
}
log('stopped');
