import { describe, expect, it } from 'vitest';
import { applyLogEvents, closeLogState, failLogState, initialLogState } from './pod-log-events';
import type { SseEvent } from './sse-parser';

const log = (line: string, timestamp: string | null = '2026-12-04T00:00:00Z'): SseEvent => ({
  event: 'log',
  data: JSON.stringify({ pod: 'web-1', container: 'main', line, timestamp }),
});

describe('applyLogEvents', () => {
  it('appends log lines with their plain text and counts them in order', () => {
    const s = applyLogEvents(initialLogState(), [log('\x1b[32mok\x1b[0m'), log('two', null)], 100);
    expect(s.phase).toBe('streaming');
    expect(s.lines).toEqual([
      {
        seq: 0,
        pod: 'web-1',
        container: 'main',
        line: '\x1b[32mok\x1b[0m',
        plain: 'ok',
        timestamp: '2026-12-04T00:00:00Z',
      },
      { seq: 1, pod: 'web-1', container: 'main', line: 'two', plain: 'two', timestamp: null },
    ]);
    expect(applyLogEvents(s, [log('three')], 100).lines.at(-1)?.seq).toBe(2);
  });

  it('keeps only the newest `max` lines and counts the dropped ones', () => {
    let s = initialLogState();
    for (let i = 0; i < 5; i++) s = applyLogEvents(s, [log(`l${i}`), log(`m${i}`)], 4);
    expect(s.lines.map((l) => l.plain)).toEqual(['l3', 'm3', 'l4', 'm4']);
    expect(s.dropped).toBe(6);
  });

  it('ends with the reason of `end` and ignores anything after it', () => {
    const s = applyLogEvents(
      initialLogState(),
      [log('a'), { event: 'end', data: '{"reason":"completed"}' }, log('late')],
      100,
    );
    expect(s).toMatchObject({ phase: 'ended', reason: 'completed' });
    expect(s.lines.map((l) => l.plain)).toEqual(['a']);
    expect(applyLogEvents(s, [log('later')], 100)).toBe(s);
  });

  it('shows the message of `error`, or its raw data when that is not the expected JSON', () => {
    const e1 = applyLogEvents(initialLogState(), [{ event: 'error', data: '{"message":"container not found"}' }], 9);
    expect(e1).toMatchObject({ phase: 'error', error: { message: 'container not found' } });
    const e2 = applyLogEvents(initialLogState(), [{ event: 'error', data: 'boom' }], 9);
    expect(e2.error?.message).toBe('boom');
  });

  it('skips malformed log payloads and unknown events', () => {
    const s = applyLogEvents(
      initialLogState(),
      [
        { event: 'log', data: 'not json' },
        { event: 'log', data: '{"pod":1}' },
        { event: 'ping', data: '{}' },
        log('good'),
      ],
      9,
    );
    expect(s.lines.map((l) => l.plain)).toEqual(['good']);
  });

  it('returns the same state for an empty batch', () => {
    const s = initialLogState();
    expect(applyLogEvents(s, [], 9)).toBe(s);
  });
});

describe('closeLogState and failLogState', () => {
  it('reads a connection closed without `end` as ended with reason closed, but keeps an earlier end or error', () => {
    const streaming = applyLogEvents(initialLogState(), [log('a')], 9);
    expect(closeLogState(streaming)).toMatchObject({ phase: 'ended', reason: 'closed' });
    const ended = applyLogEvents(streaming, [{ event: 'end', data: '{"reason":"cancelled"}' }], 9);
    expect(closeLogState(ended)).toBe(ended);
  });

  it('records the HTTP status of a request refused before the stream', () => {
    expect(failLogState(initialLogState(), 'forbidden', 403)).toMatchObject({
      phase: 'error',
      error: { message: 'forbidden', status: 403 },
    });
  });
});
