import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, request } from '../client';
import { resolveTarget } from '../config';
import { print, type OutputFormat } from '../output';

interface ApplyResult {
  applied: { kind: string; name: string; action: string }[];
  runs: string[];
}

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new CliError(`Cannot read ${file}: ${(err as Error).message}`, 2);
  }
}

export function registerApply(program: Command, globals: () => { server?: string; token?: string; output: OutputFormat }): void {
  program
    .command('apply')
    .description('Apply Tekton YAML (Task, Pipeline, PipelineRun, TaskRun, StepAction, ConfigMap, Secret, PVC)')
    .requiredOption('-f, --filename <file>', 'a YAML file with one or more documents (- for stdin)')
    .action(async (flags: { filename: string }) => {
      const g = globals();
      const result = await request<ApplyResult>(resolveTarget(g), 'POST', '/api/v1/apply', readInput(flags.filename), 'application/yaml');
      print(g.output, result, () => result.applied.map((a) => `${a.kind.toLowerCase()}/${a.name} ${a.action}`).join('\n'));
    });
}
