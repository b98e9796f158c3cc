import { describe, expect, it } from 'vitest';
import {
  applyTaskRunLogEvent,
  followTaskRunLog,
  endsStream,
  initialTaskRunLogState,
  STREAM_LOST,
  type TaskRunLogEvent,
  type TaskRunLogState,
} from './taskrun-log-events';

const OPEN = 1;
const CONNECTING = 0;
const CLOSED = 2;
const chunk = (id: number, ...texts: string[]): TaskRunLogEvent => ({
  type: 'chunk',
  data: JSON.stringify({
    id,
    step: 'build',
    lines: texts.map((text) => ({ at: '2026-12-05T00:00:00Z', stream: 'stdout', text })),
  }),
  readyState: OPEN,
});
const run = (...events: TaskRunLogEvent[]): TaskRunLogState =>
  events.reduce(applyTaskRunLogEvent, initialTaskRunLogState());

describe('TaskRun log stream events', () => {
  it('appends the lines of each chunk with its id and step', () => {
    const s = run(chunk(1, 'a', 'b'), chunk(2, 'c'));
    expect(s.lines.map((l) => [l.id, l.step, l.text])).toEqual([
      [1, 'build', 'a'],
      [1, 'build', 'b'],
      [2, 'build', 'c'],
    ]);
    expect(s).toMatchObject({ done: false, error: null });
  });

  it('`end` completes the log and closes the stream', () => {
    const end = { type: 'end', data: '{}', readyState: OPEN };
    expect(run(chunk(1, 'a'), end)).toMatchObject({ done: true, error: null });
    expect(endsStream(end)).toBe(true);
  });

  it("the server's `event: error` shows its message, closes the stream and ignores anything after it", () => {
    const error = {
      type: 'error',
      data: '{"message":"Your session ended or your token was revoked: sign in again.","code":"UNAUTHENTICATED"}',
      readyState: OPEN,
    };
    const s = run(chunk(1, 'a'), error, chunk(2, 'late'));
    expect(s.error).toBe('Your session ended or your token was revoked: sign in again.');
    expect(s.lines.map((l) => l.text)).toEqual(['a']);
    expect(endsStream(error)).toBe(true);
    // A later connection error (the close) does not replace the server's message.
    expect(applyTaskRunLogEvent(s, { type: 'error', readyState: CLOSED }).error).toBe(s.error);
  });

  it('an `event: error` whose data is not the expected JSON shows the raw text', () => {
    expect(run({ type: 'error', data: 'permission denied', readyState: OPEN }).error).toBe('permission denied');
    expect(run({ type: 'error', data: '', readyState: OPEN }).error).toBe('The log stream failed.');
  });

  it("EventSource's own connection error: a reconnect in progress is no error; one it gave up on (401/403) is shown", () => {
    const reconnecting = { type: 'error', readyState: CONNECTING };
    expect(run(chunk(1, 'a'), reconnecting)).toMatchObject({ error: null, done: false });
    expect(endsStream(reconnecting)).toBe(false);
    const refused = { type: 'error', readyState: CLOSED };
    expect(run(chunk(1, 'a'), refused).error).toBe(STREAM_LOST);
    expect(endsStream(refused)).toBe(true);
  });

  it('skips malformed chunks and unknown events', () => {
    const s = run(
      { type: 'chunk', data: 'not json' },
      { type: 'chunk', data: '{"id":1}' },
      { type: 'ping', data: '{}' },
      chunk(3, 'good'),
    );
    expect(s.lines.map((l) => l.text)).toEqual(['good']);
    expect(endsStream({ type: 'chunk', data: '{}' })).toBe(false);
  });
});

/** A stand-in for the browser's EventSource: dispatches events as the browser would and records close(). */
class FakeSource {
  readyState = OPEN;
  closed = 0;
  private listeners = new Map<string, ((e: Event) => void)[]>();
  addEventListener(type: string, fn: (e: Event) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close() {
    this.closed++;
    this.readyState = CLOSED;
  }
  /** A server-sent event `event: type` / `data: data` (EventSource dispatches a MessageEvent). */
  serverEvent(type: string, data: string) {
    for (const fn of this.listeners.get(type) ?? []) fn(new MessageEvent(type, { data }));
  }
  /** EventSource's own connection error (a plain Event), with the readyState it has then. */
  connectionError(readyState: number) {
    this.readyState = readyState;
    for (const fn of this.listeners.get('error') ?? []) fn(new Event('error'));
  }
}

describe('followTaskRunLog', () => {
  const follow = () => {
    const source = new FakeSource();
    let state = initialTaskRunLogState();
    followTaskRunLog(source, (change) => (state = change(state)));
    return { source, state: () => state };
  };

  it("closes the source on the server's `event: error` (no reconnect) and keeps its message", () => {
    const { source, state } = follow();
    source.serverEvent('chunk', chunk(1, 'a').data as string);
    source.serverEvent(
      'error',
      JSON.stringify({ message: 'Forbidden: logs, get on proj/app', code: 'PERMISSION_DENIED' }),
    );
    expect(source.closed).toBe(1);
    expect(state()).toMatchObject({ error: 'Forbidden: logs, get on proj/app', done: false });
    expect(state().lines.map((l) => l.text)).toEqual(['a']);
  });

  it('closes on `end`; leaves a reconnect in progress alone; shows a reconnect the browser gave up on', () => {
    const ended = follow();
    ended.source.serverEvent('end', '{}');
    expect(ended.source.closed).toBe(1);
    expect(ended.state().done).toBe(true);

    const flaky = follow();
    flaky.source.connectionError(CONNECTING);
    expect(flaky.source.closed).toBe(0);
    expect(flaky.state().error).toBeNull();
    flaky.source.connectionError(CLOSED);
    expect(flaky.source.closed).toBe(1);
    expect(flaky.state().error).toBe(STREAM_LOST);
  });
});
