import { expect, it } from 'vitest';
import { baseRunFolder, pipelineRunFolder, runFolderOwner, taskRunFolder } from './run-folders';

it('gives a PipelineRun, a TaskRun of the same name and its retries different folders, and reads them back', () => {
  const folders = [pipelineRunFolder('x'), taskRunFolder('x'), taskRunFolder('x', 1), pipelineRunFolder('x.retry-1')];
  expect(new Set(folders).size).toBe(folders.length);
  expect(folders.map(runFolderOwner)).toEqual([
    { kind: 'PipelineRun', name: 'x' },
    { kind: 'TaskRun', name: 'x' },
    { kind: 'TaskRun', name: 'x' },
    { kind: 'PipelineRun', name: 'x.retry-1' },
  ]);
  // A TaskRun named like a retry folder of the old form is its own TaskRun, not a retry of `x`.
  expect(baseRunFolder(taskRunFolder('x.retry-1'))).toBe('x.retry-1');
  expect(baseRunFolder(taskRunFolder('x', 2))).toBe('x');
  expect(runFolderOwner('.pool')).toBeUndefined();
  // A 253-character PipelineRun name still fits a folder name (255 bytes).
  expect(pipelineRunFolder('a'.repeat(253)).length).toBeLessThanOrEqual(255);
});
