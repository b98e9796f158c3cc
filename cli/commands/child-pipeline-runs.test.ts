import { describe, expect, it } from 'vitest';
import { ZPipelineRunAnswer } from '../responses';
import { childRunLines, parentLines } from './child-pipeline-runs';

const run = (extra: Record<string, unknown>) =>
  ZPipelineRunAnswer.parse({ metadata: { name: 'outer-1' }, status: {}, ...extra });

describe('pipelinerun describe: Pipelines in Pipelines', () => {
  it('a parent lists its child PipelineRuns with the command to describe them', () => {
    const lines = childRunLines(
      run({
        childPipelineRuns: [
          {
            name: 'outer-1-scans',
            pipelineTaskName: 'scans',
            pipeline: 'inner',
            conditionStatus: 'True',
            conditionReason: 'Succeeded',
          },
          {
            name: 'outer-1-emb',
            pipelineTaskName: 'emb',
            pipeline: null,
            conditionStatus: 'Unknown',
            conditionReason: 'Started',
          },
        ],
      }),
    ).join('\n');
    expect(lines).toContain('Child PipelineRuns (keelson pipelinerun describe <name>):');
    expect(lines).toMatch(/outer-1-scans\s+scans\s+inner\s+Succeeded/);
    expect(lines).toMatch(/outer-1-emb\s+emb\s+\(inline\)\s+Running/);
    expect(parentLines(run({}))).toEqual([]);
  });

  it('a child names its parent and task', () => {
    const child = run({
      metadata: {
        name: 'outer-1-scans',
        labels: { 'keelson.dev/parent-pipelinerun': 'outer-1', 'tekton.dev/pipelineTask': 'scans' },
      },
    });
    expect(parentLines(child)).toEqual(['Parent:   outer-1 (task scans)  → keelson pipelinerun describe outer-1']);
    expect(childRunLines(child)).toEqual([]);
  });
});
