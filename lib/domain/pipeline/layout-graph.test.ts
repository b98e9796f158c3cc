import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { layoutPipelineGraph } from './layout-graph';
import { ZPipelineSpec } from './pipeline-schemas';

const spec = (yaml: string) => ZPipelineSpec.parse(parse(yaml));
const opts = { nodeWidth: 100, nodeHeight: 40, columnGap: 50, rowGap: 10, groupPadding: 5 };

describe('layoutPipelineGraph', () => {
  it('places tasks by longest path, left to right, with edges from runAfter and results', () => {
    const layout = layoutPipelineGraph(
      spec(`
tasks:
  - {name: fetch, taskRef: {name: t}, displayName: Fetch sources}
  - {name: lint, taskRef: {name: t}}
  - {name: test, taskRef: {name: t}, params: [{name: sha, value: $(tasks.fetch.results.sha)}]}
  - {name: deploy, taskRef: {name: t}, runAfter: [test, lint, fetch]}
finally:
  - {name: report, taskRef: {name: t}}
  - {name: clean, taskRef: {name: t}}
`),
      { fetch: 'Succeeded', report: 'Running' },
      opts,
    );
    const at = Object.fromEntries(layout.nodes.map((n) => [n.id, [n.x, n.y, n.kind]]));
    expect(at).toEqual({
      fetch: [0, 0, 'task'],
      lint: [0, 50, 'task'],
      test: [150, 0, 'task'],
      deploy: [300, 0, 'task'],
      report: [455, 5, 'finally'],
      clean: [455, 55, 'finally'],
    });
    expect(layout.nodes[0]).toMatchObject({ label: 'Fetch sources', status: 'Succeeded', width: 100, height: 40 });
    expect(layout.nodes.find((n) => n.id === 'lint')?.status).toBeUndefined();
    expect(layout.nodes.find((n) => n.id === 'report')?.status).toBe('Running');
    expect(layout.edges).toEqual([
      { from: 'fetch', to: 'test' },
      { from: 'test', to: 'deploy' },
      { from: 'lint', to: 'deploy' },
      { from: 'fetch', to: 'deploy' },
    ]);
    expect(layout.groups).toEqual([{ id: 'finally', label: 'finally', x: 450, y: 0, width: 110, height: 100 }]);
    expect(layout.width).toBe(560);
    expect(layout.height).toBe(100);
  });

  it('orders a column by the rows of the parents', () => {
    const layout = layoutPipelineGraph(
      spec(
        'tasks: [{name: a, taskRef: {name: t}}, {name: b, taskRef: {name: t}}, {name: fromB, taskRef: {name: t}, runAfter: [b]}, {name: fromA, taskRef: {name: t}, runAfter: [a]}]'
          .replace(/fromB/g, 'from-b')
          .replace(/fromA/g, 'from-a'),
      ),
      {},
      opts,
    );
    const y = Object.fromEntries(layout.nodes.map((n) => [n.id, n.y]));
    expect(y['from-a']).toBeLessThan(y['from-b']);
    expect(layout.groups).toEqual([]);
    expect(layout.width).toBe(250);
  });

  it('still shows tasks caught in a cycle', () => {
    const layout = layoutPipelineGraph(
      spec('tasks: [{name: a, taskRef: {name: t}, runAfter: [b]}, {name: b, taskRef: {name: t}, runAfter: [a]}]'),
      {},
      opts,
    );
    expect(layout.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(layout.nodes.every((n) => n.x === 0)).toBe(true);
    expect(new Set(layout.nodes.map((n) => n.y)).size).toBe(2);
  });
});
