import { describe, expect, it } from 'vitest';
import { sameTaskRunAttempt } from './pod-api';

const made = (annotations?: Record<string, string>) => ({ metadata: { annotations } });
const ours = made({ 'keelson.dev/task-run': 'build-1', 'keelson.dev/attempt': '0' });

describe('which pod or Secret under our name may be replaced', () => {
  it("only one made for the same TaskRun and attempt (a dead worker's)", () => {
    expect(sameTaskRunAttempt(made({ 'keelson.dev/task-run': 'build-1', 'keelson.dev/attempt': '0' }), ours)).toBe(
      true,
    );
    expect(sameTaskRunAttempt(made({ 'keelson.dev/task-run': 'build-1', 'keelson.dev/attempt': '1' }), ours)).toBe(
      false,
    );
    expect(sameTaskRunAttempt(made({ 'keelson.dev/task-run': 'build-1x', 'keelson.dev/attempt': '0' }), ours)).toBe(
      false,
    );
    expect(sameTaskRunAttempt(made(), ours)).toBe(false);
    expect(sameTaskRunAttempt(undefined, ours)).toBe(false);
    // Without our own annotations nothing is ever replaced.
    expect(sameTaskRunAttempt(made(), made())).toBe(false);
  });
});
