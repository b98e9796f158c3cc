import { expect, it } from 'vitest';
import { formatTable, parseOutput } from './output';

it('aligns table columns', () => {
  expect(
    formatTable(
      ['NAME', 'ID'],
      [
        ['a', '1'],
        ['longer', '22'],
      ],
    ),
  ).toBe('NAME     ID\na        1\nlonger   22');
});

it('accepts json and table and refuses other formats', () => {
  expect(parseOutput('json')).toBe('json');
  expect(parseOutput(undefined)).toBe('table');
  expect(() => parseOutput('xml')).toThrow(/json or table/);
});
