import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { request, send } from './client';
import { ZApplication } from '../lib/schemas/application-responses';
import { conforming, ZPipelineRunAnswer } from './responses';

const target = { server: 'http://keelson.test', token: 't' };
const answer = (status: number, body?: unknown) =>
  vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status }));

afterEach(() => vi.unstubAllGlobals());

describe('conforming', () => {
  it('answers the value as sent: extra fields and their order stay', () => {
    const sent = { extra: 1, version: 'v1', more: { a: 1 } };
    const parsed = conforming(z.object({ version: z.string() })).parse(sent);
    expect(parsed).toBe(sent);
    expect(Object.keys(parsed)).toEqual(['extra', 'version', 'more']);
  });

  it.each([
    ['a missing field', { metadata: {} }],
    ['a wrong type', { metadata: { name: 1 }, status: {} }],
    ['not an object', 'Internal error'],
  ])('refuses %s', (_what, value) => {
    expect(ZPipelineRunAnswer.safeParse(value).success).toBe(false);
    expect(ZApplication.safeParse(value).success).toBe(false);
  });
});

describe('request', () => {
  it('answers the checked JSON body', async () => {
    vi.stubGlobal('fetch', answer(200, { version: '1.2.3', build: 'x' }));
    const got = await request(target, 'GET', '/api/v1/version', conforming(z.object({ version: z.string() })));
    expect(got).toEqual({ version: '1.2.3', build: 'x' });
  });

  it('refuses an answer of another shape with a readable error', async () => {
    vi.stubGlobal('fetch', answer(200, { items: 'none' }));
    await expect(
      request(target, 'GET', '/api/v1/x', conforming(z.object({ items: z.array(z.string()) }))),
    ).rejects.toThrow('Unexpected answer to GET /api/v1/x');
  });

  it('turns an error body into its message, issues and hint', async () => {
    vi.stubGlobal(
      'fetch',
      answer(422, { error: { message: 'bad', hint: 'try again', issues: [{ path: 'a', message: 'needed' }] } }),
    );
    await expect(send(target, 'DELETE', '/api/v1/x')).rejects.toThrow('422: bad\n  a: needed\ntry again');
  });

  it('shows the status text when the error body is not ours', async () => {
    vi.stubGlobal('fetch', answer(500, { error: 'boom' }));
    await expect(send(target, 'POST', '/api/v1/x')).rejects.toThrow(/^500: /);
  });

  it('names the reason an unreachable server gives', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
      }),
    );
    await expect(send(target, 'GET', '/api/v1/x')).rejects.toThrow(
      'Cannot reach http://keelson.test: connect ECONNREFUSED',
    );
  });
});
