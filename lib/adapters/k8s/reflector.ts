/**
 * List-then-watch for one kind, like client-go's reflector: list (paged), watch from the list's
 * resourceVersion with bookmarks, re-watch from the last seen resourceVersion when the server ends
 * the watch, re-list on 410 Gone (expired resourceVersion) and after any failure, with backoff.
 */
import { z } from 'zod';
import type { KubeConnection, KubeStream } from './connection';
import { discoveryFor, resourcePath } from './discovery';
import { KubeError, isKubeError } from './errors';
import { type KubeObject, ZKubeObject, zStatus } from './objects';
import { listObjects } from './read';

export interface ReflectorTarget {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labelSelector?: string;
}

export interface ReflectorHandlers {
  /** A full list: the handler replaces everything it holds for this kind. */
  onList(items: KubeObject[]): void;
  onEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): void;
  /** Every success (list, event, bookmark, re-watch) and every failure. */
  onHealth(health: { ok: true } | { ok: false; error: KubeError }): void;
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export interface ReflectorStats {
  lists: number;
  watches: number;
  resourceVersion?: string;
}

const zWatchEvent = z.object({
  type: z.enum(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']),
  object: z.unknown(),
});

class Expired extends Error {}

export class Reflector {
  readonly stats: ReflectorStats = { lists: 0, watches: 0 };
  #stopped = false;
  #stream: KubeStream | undefined;
  #wake: (() => void) | undefined;
  #forcedVersion: string | undefined;
  #loop: Promise<void> | undefined;
  readonly #abort = new AbortController();

  constructor(
    private readonly conn: KubeConnection,
    private readonly target: ReflectorTarget,
    private readonly handlers: ReflectorHandlers,
    private readonly backoff: Backoff,
  ) {}

  start(): void {
    this.#loop ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    this.#stream?.abort();
    this.#wake?.();
    await this.#loop;
  }

  /** Ends the current watch. With `fromResourceVersion`, the next watch starts there (an old one forces 410 → re-list). */
  restartWatch(fromResourceVersion?: string): void {
    this.#forcedVersion = fromResourceVersion;
    this.#stream?.abort();
  }

  async #sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.#wake = () => (clearTimeout(t), resolve());
    });
    this.#wake = undefined;
  }

  async #run(): Promise<void> {
    let failures = 0;
    let rv: string | undefined;
    while (!this.#stopped) {
      try {
        if (rv === undefined) {
          const list = await listObjects(this.conn, { ...this.target, signal: this.#abort.signal });
          if (this.#stopped) return;
          this.stats.lists++;
          rv = list.resourceVersion;
          this.handlers.onList(list.items);
          this.handlers.onHealth({ ok: true });
          failures = 0;
        }
        if (this.#forcedVersion !== undefined) [rv, this.#forcedVersion] = [this.#forcedVersion, undefined];
        rv = await this.#watch(rv);
        failures = 0;
      } catch (err) {
        if (this.#stopped) return;
        rv = undefined;
        if (err instanceof Expired) continue; // 410: re-list at once
        const error = isKubeError(err) ? err : new KubeError(this.conn.redact(String(err)), 0, 'Unreachable');
        this.handlers.onHealth({ ok: false, error });
        failures++;
        const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (failures - 1));
        await this.#sleep(delay * (0.8 + Math.random() * 0.4));
      }
    }
  }

  /** One watch; returns the last resourceVersion seen when the server (or restartWatch) ends it. */
  async #watch(fromVersion: string): Promise<string> {
    const info = await discoveryFor(this.conn).resolve(this.target.apiVersion, this.target.kind);
    if (this.#stopped) return fromVersion;
    let rv = fromVersion;
    let expired = false;
    let failure: unknown;
    const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
    this.stats.watches++;
    const stream = this.conn.stream(
      {
        path: resourcePath(info, this.target.namespace),
        query: {
          watch: 1,
          resourceVersion: rv,
          allowWatchBookmarks: true,
          timeoutSeconds,
          labelSelector: this.target.labelSelector,
        },
      },
      (line) => {
        if (expired || failure) return;
        try {
          const ev = zWatchEvent.parse(JSON.parse(line));
          if (ev.type === 'ERROR') {
            const st = zStatus.safeParse(ev.object);
            if (st.success && st.data.code === 410) expired = true;
            else
              failure = new KubeError(
                st.data?.message ?? 'watch error',
                st.data?.code ?? 500,
                st.data?.reason ?? 'InternalError',
              );
            stream.abort();
            return;
          }
          const obj = ZKubeObject.parse({
            apiVersion: this.target.apiVersion,
            kind: this.target.kind,
            ...(ev.object as object),
          });
          rv = obj.metadata.resourceVersion ?? rv;
          if (ev.type !== 'BOOKMARK') this.handlers.onEvent(ev.type, obj);
          this.handlers.onHealth({ ok: true });
        } catch (err) {
          failure = err;
          stream.abort();
        }
      },
      (timeoutSeconds + 60) * 1000,
    );
    this.#stream = stream;
    try {
      await stream.done;
    } catch (err) {
      if (isKubeError(err, 410)) throw new Expired();
      throw err;
    } finally {
      this.#stream = undefined;
    }
    if (expired) throw new Expired();
    if (failure) throw failure;
    this.stats.resourceVersion = rv;
    return rv;
  }
}
