import { describe, expect, it } from 'vitest';
import {
  EXECUTOR_ANNOTATION,
  executorAnnotationIssue,
  pickExecutor,
  requestedExecutor,
  withRequestedExecutor,
} from './executor-choice';

const ann = (v: string) => ({ [EXECUTOR_ANNOTATION]: v });
const planWith = (annotations?: Record<string, string>) => ({
  taskRunName: 'r-t',
  steps: [],
  ...(annotations ? { metadata: { annotations } } : {}),
});

describe('pickExecutor: the annotation wins over the setting', () => {
  it('follows the setting when the TaskRun asks for nothing', () => {
    expect(pickExecutor({ plan: planWith() }, { defaultKind: 'local' })).toEqual({ kind: 'local', source: 'setting' });
    expect(pickExecutor({ plan: planWith() }, { defaultKind: 'kubernetes' })).toEqual({
      kind: 'kubernetes',
      source: 'setting',
    });
  });

  it('runs a TaskRun annotated local locally although a cluster is set, and one annotated kubernetes on it although none is', () => {
    expect(pickExecutor({ plan: planWith(ann('local')) }, { defaultKind: 'kubernetes' })).toEqual({
      kind: 'local',
      source: 'annotation',
    });
    expect(pickExecutor({ plan: planWith(ann('kubernetes')) }, { defaultKind: 'local' })).toEqual({
      kind: 'kubernetes',
      source: 'annotation',
    });
  });

  it('ignores a value that is neither (a plan stored before it was checked) and a plan that is no object', () => {
    expect(pickExecutor({ plan: planWith(ann('docker')) }, { defaultKind: 'local' }).kind).toBe('local');
    expect(pickExecutor({ plan: null }, { defaultKind: 'kubernetes' }).kind).toBe('kubernetes');
  });
});

describe('requestedExecutor: the most specific layer that names one', () => {
  it('TaskRun over PipelineRun over Pipeline', () => {
    expect(requestedExecutor(undefined, ann('kubernetes'), ann('local'))).toBe('kubernetes');
    expect(requestedExecutor(ann('local'), ann('kubernetes'), ann('kubernetes'))).toBe('local');
    expect(requestedExecutor(undefined, {}, ann('kubernetes'))).toBe('kubernetes');
    expect(requestedExecutor(undefined, null, undefined)).toBeUndefined();
  });

  it('stamps the run’s request on a plan that has none, keeps the plan’s own', () => {
    const stamped = withRequestedExecutor(planWith({ team: 'a' }), 'kubernetes');
    expect(stamped.metadata?.annotations).toEqual({ team: 'a', [EXECUTOR_ANNOTATION]: 'kubernetes' });
    const own = planWith(ann('local'));
    expect(withRequestedExecutor(own, 'kubernetes')).toBe(own);
    const none = planWith();
    expect(withRequestedExecutor(none, undefined)).toBe(none);
  });

  it('refuses another value with its path and how to fix it', () => {
    expect(executorAnnotationIssue(ann('pod'), 'metadata.annotations')).toEqual({
      path: 'metadata.annotations["keelson.dev/executor"]',
      message: expect.stringContaining('use "local"'),
    });
    expect(executorAnnotationIssue(ann('kubernetes'), 'metadata.annotations')).toBeUndefined();
    expect(executorAnnotationIssue(undefined, 'metadata.annotations')).toBeUndefined();
  });
});
