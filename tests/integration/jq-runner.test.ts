import { afterAll, expect, it } from 'vitest';
import { JqError, JqRunner } from '../../lib/adapters/jq';

const jq = new JqRunner(500);
afterAll(() => jq.close());

it('runs jq programs on JSON values', async () => {
  expect(
    await jq.run(
      { webhooks: [{ clientConfig: { caBundle: 'x', url: 'u' } }, { name: 'b' }] },
      'del(.webhooks[]?.clientConfig.caBundle)',
    ),
  ).toEqual({
    webhooks: [{ clientConfig: { url: 'u' } }, { name: 'b' }],
  });
});

it("reports a syntax error with jq's own message", async () => {
  const error = await jq.run(null, 'del(.[').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(JqError);
  expect((error as Error).message).toContain('syntax error');
});

it('stops a program that never ends at the time limit, and the next call works', async () => {
  const started = Date.now();
  const error = await jq.run(null, 'del(repeat(.))').catch((e: unknown) => e);
  expect((error as Error).message).toContain('did not finish within 500 ms');
  expect(Date.now() - started).toBeLessThan(5000);
  expect(await jq.run({ x: 1 }, '.x')).toBe(1);
});
