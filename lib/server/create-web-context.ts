import path from 'node:path';
import { connectDb, type DbHandle } from '@/lib/adapters/db/client';
import { createRepoMirrors, type RepoMirrors } from '@/lib/adapters/git';
import { JqRunner } from '@/lib/adapters/jq';
import { keysDir } from '@/lib/adapters/keys/key-files';
import { startBoss, type Boss } from '@/lib/adapters/queue/boss';
import { createRenderCache, findRenderTools } from '@/lib/adapters/render';
import type { TEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import type { WebContext } from './context';
import { repoHostPolicy } from './gitops/gitops-context';
import { renderSandboxConfig } from './gitops/render-sandbox-config';
import { createKeyring, keyringSettings, type Keyring } from './security/keyring';
import { createStreamSlots } from './gitops/stream-slots';

/**
 * Pod log streams open at once (each pins an API server socket and up to ~256 KiB of send queue): any kind per
 * principal (a 429 beyond) and for the whole process; of them followed ones (which last until the container ends)
 * per principal. The process-wide follow cap is the streams' one.
 */
const MAX_LOG_STREAMS_PER_PRINCIPAL = 16;
const MAX_LOG_STREAMS = 256;
const MAX_FOLLOWS_PER_PRINCIPAL = 8;

/** A value made on first use and kept; a failed attempt is tried again next time. */
function onFirstUse<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/**
 * The web process's composition root: one pool, one queue client, one keyring, one set of repository
 * mirrors, one render cache and one jq thread for the whole process, from its configuration. server.ts
 * builds it at start-up and installs it (installWebContext) before Next.js loads any route.
 */
export function createWebContext(e: TEnv): WebContext {
  const databaseUrl = () => {
    if (!e.DATABASE_URL)
      throw new AppError('UNAVAILABLE', 'DATABASE_URL is not set. Start Keelson with `npm start`, which provides it.');
    return e.DATABASE_URL;
  };
  const db = onFirstUse((): DbHandle => connectDb(databaseUrl()));
  let boss: Promise<Boss> | undefined;
  const queue = (): Promise<Boss> => {
    boss ??= startBoss(databaseUrl()).catch((err: unknown) => {
      boss = undefined;
      throw err;
    });
    return boss;
  };
  const keyring = onFirstUse((): Keyring => createKeyring(keyringSettings(e, keysDir(e.KEELSON_DATA_DIR))));
  const repoMirrors = onFirstUse((): RepoMirrors =>
    createRepoMirrors({
      cacheDir: path.join(path.resolve(e.KEELSON_DATA_DIR), 'repos'),
      ...repoHostPolicy(undefined, e),
    }),
  );
  return {
    env: e,
    now: () => new Date(),
    db,
    queue,
    keyring,
    repoMirrors,
    renderCache: createRenderCache({ maxEntries: 200 }),
    renderTools: findRenderTools({
      helmBin: e.KEELSON_HELM_BIN,
      kustomizeBin: e.KEELSON_KUSTOMIZE_BIN,
      sandbox: renderSandboxConfig(e),
      buildCacheDir: e.KEELSON_CACHE_DIR,
    }),
    jq: new JqRunner(),
    podLogStreams: createStreamSlots(MAX_LOG_STREAMS_PER_PRINCIPAL, MAX_LOG_STREAMS),
    podLogFollows: createStreamSlots(MAX_FOLLOWS_PER_PRINCIPAL, MAX_LOG_STREAMS),
  };
}
