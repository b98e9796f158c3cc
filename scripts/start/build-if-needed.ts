import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SOURCES = [
  'app',
  'components',
  'lib',
  'public',
  'next.config.ts',
  'proxy.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];

/** A fingerprint of everything the Next build reads: paths, sizes and modification times. */
function sourceStamp(root: string): string {
  const hash = createHash('sha1');
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(path.join(p, name));
    } else {
      hash.update(`${path.relative(root, p)}:${st.size}:${st.mtimeMs}\n`);
    }
  };
  for (const s of SOURCES) walk(path.join(root, s));
  return hash.digest('hex');
}

/** `npm start` serves a production build: it builds on the first start, and again only when sources changed. */
export function buildIfNeeded(root: string, log: (line: string) => void): void {
  const dist = path.join(root, process.env.KEELSON_NEXT_DIST_DIR ?? '.next');
  const stampFile = path.join(dist, 'keelson-source-stamp');
  const stamp = sourceStamp(root);
  const built =
    existsSync(path.join(dist, 'BUILD_ID')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
  if (built) return;
  log('Building the web app (first start, or sources changed); this takes a minute or two...');
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    },
  );
  if (result.status !== 0) throw new Error('`next build` failed; see the output above.');
  // Next may rewrite tsconfig.json while building, so fingerprint the sources as the build left them.
  writeFileSync(stampFile, sourceStamp(root));
  log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
