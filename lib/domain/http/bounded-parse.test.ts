import { describe, expect, it } from 'vitest';
import { MAX_YAML_FLOW_DEPTH, MAX_YAML_INDENT, parseYamlDocuments, yamlTooDeep } from './bounded-parse';

const flow = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const blockMap = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n';
const blockSeq = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}-`).join('\n') + '\n';
const compactSeq = (n: number) => `${'- '.repeat(n)}1\n`;

describe('YAML too deep to parse', () => {
  it('refuses texts deep enough to overflow the parser, naming where', () => {
    expect(yamlTooDeep(flow(MAX_YAML_FLOW_DEPTH + 1))).toBe(
      `flow nesting deeper than ${MAX_YAML_FLOW_DEPTH} levels at line 1`,
    );
    expect(yamlTooDeep(blockMap(1000))).toBe(
      `indentation deeper than ${MAX_YAML_INDENT} at line ${MAX_YAML_INDENT + 2}`,
    );
    expect(yamlTooDeep(blockSeq(1000))).toMatch(/^indentation deeper than/);
    expect(yamlTooDeep(compactSeq(1000))).toMatch(/^indentation deeper than/);
  });

  it('lets real documents through: scripts with brackets, manifests, flow maps', () => {
    expect(yamlTooDeep(flow(MAX_YAML_FLOW_DEPTH))).toBeUndefined();
    expect(
      yamlTooDeep('script: |\n  if [[ -f x ]]; then echo "{a}"; fi\nspec: { a: [1, [2, {b: 3}]] }\n'),
    ).toBeUndefined();
    expect(yamlTooDeep(blockMap(60))).toBeUndefined();
  });

  it('survives hostile texts twice in one process, then parses a normal one (a parser stack overflow used to kill the next parse)', () => {
    for (const text of [flow(100_000), blockMap(1000), blockSeq(1000), compactSeq(1000)]) {
      for (let i = 0; i < 2; i++) {
        const parsed = parseYamlDocuments(text);
        expect(parsed.values).toEqual([]);
        expect(parsed.errors[0].message).toMatch(/^malformed YAML: (flow nesting|indentation) deeper than/);
      }
    }
    expect(parseYamlDocuments('a: 1\n').values.map((v) => v.value)).toEqual([{ a: 1 }]);
  });
});
