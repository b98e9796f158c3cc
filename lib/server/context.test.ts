import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { deps, installWebContext, webContext, type WebContext } from './context';
import { createWebContext } from './create-web-context';

const holder = globalThis as { __keelsonWebContext?: WebContext };

afterEach(() => {
  delete holder.__keelsonWebContext;
});

describe('the web context', () => {
  it('is refused, with a way out, until the web server has installed it', () => {
    expect(() => webContext()).toThrow(AppError);
    expect(() => deps()).toThrow(/npm start/);
  });

  it('is the one value the composition root installed, shared by every reader', () => {
    const ctx = createWebContext(parseEnv({ KEELSON_DATA_DIR: '/nonexistent/keelson' }));
    installWebContext(ctx);
    expect(webContext()).toBe(ctx);
    expect(webContext().jq).toBe(ctx.jq);
    expect(webContext().renderCache).toBe(ctx.renderCache);
    // Without DATABASE_URL the database is unavailable (on use, not at start-up), and stays so.
    expect(() => deps()).toThrow(/DATABASE_URL is not set/);
    expect(() => ctx.db()).toThrow(/DATABASE_URL is not set/);
    expect(() => ctx.queue()).toThrow(/DATABASE_URL is not set/);
  });

  it('connects one pool for the process, on first use', () => {
    const ctx = createWebContext(parseEnv({ DATABASE_URL: 'postgres://u:p@127.0.0.1:1/none' }));
    expect(ctx.db()).toBe(ctx.db());
    installWebContext(ctx);
    expect(deps().db).toBe(ctx.db().db);
    return ctx.db().close();
  });
});
