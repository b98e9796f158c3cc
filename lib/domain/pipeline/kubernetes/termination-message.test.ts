import { describe, expect, it } from 'vitest';
import { internalValue, parseTerminationMessage, RESULT_TYPE, resultsOfType } from './termination-message';

/** Messages from upstream's pkg/pod/status_test.go (v1.15) and the real node (entrypoint-notes.md). */
describe('parseTerminationMessage', () => {
  it('reads task results, old resource entries (no type) and Tekton entries', () => {
    const entries = parseTerminationMessage(
      '[{"key":"resultName","value":"resultValue", "type":1}, {"key":"digest","value":"sha256:1234","resourceName":"source-image"}]',
    );
    expect(entries).toEqual([
      { key: 'resultName', value: 'resultValue', type: RESULT_TYPE.taskRun },
      { key: 'digest', value: 'sha256:1234', type: 0 },
    ]);
    expect(resultsOfType(entries!, RESULT_TYPE.taskRun, ['resultName', 'digest'])).toEqual({
      resultName: 'resultValue',
    });
  });

  it('keeps step result values verbatim (trailing newline, JSON arrays)', () => {
    const entries = parseTerminationMessage(
      '[{"key":"uri","value":"https://foo.bar\\n","type":4},{"key":"array","value":"[\\"hello\\",\\"world\\"]","type":4}]',
    )!;
    expect(resultsOfType(entries, RESULT_TYPE.step, ['uri', 'array'])).toEqual({
      uri: 'https://foo.bar\n',
      array: '["hello","world"]',
    });
  });

  it('reads ExitCode, StartedAt and Reason, also spelled with type names; the last of a key wins', () => {
    const entries = parseTerminationMessage(
      '[{"key":"StartedAt","value":"2026-12-05T02:41:06.123Z","type":"InternalTektonResult"},{"key":"ExitCode","value":"1","type":3},{"key":"Reason","value":"Skipped","type":3},{"key":"ExitCode","value":"5","type":3}]',
    )!;
    expect(internalValue(entries, 'StartedAt')).toBe('2026-12-05T02:41:06.123Z');
    expect(internalValue(entries, 'ExitCode')).toBe('5');
    expect(internalValue(entries, 'Reason')).toBe('Skipped');
  });

  it('an empty message has no entries; text that is not such JSON is undefined', () => {
    expect(parseTerminationMessage('')).toEqual([]);
    expect(parseTerminationMessage(undefined)).toEqual([]);
    expect(parseTerminationMessage('tknz:eJyLjgUAARUAuQ==')).toBeUndefined();
    expect(parseTerminationMessage('{"key":"a"}')).toBeUndefined();
  });
});
