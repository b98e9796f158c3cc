import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { z } from 'zod';
import { CliError, request } from '../client';
import { resolveTarget, type Target } from '../config';
import { followPipelineRun } from '../follow-logs';
import { print, type OutputFormat } from '../output';
import { ZApplyAnswer, ZTaskRunAnswer } from '../responses';
import { errorMessage } from '../../lib/domain/error-message';

type ApplyResult = z.infer<typeof ZApplyAnswer>;
type RunStatus = z.infer<typeof ZTaskRunAnswer>['status'];

/** Waits for every started run; true when all of them succeeded. */
async function waitForRuns(target: Target, runs: ApplyResult['runs']): Promise<boolean> {
  const outcomes = await Promise.all(
    runs.map(async (run) => {
      let status: RunStatus;
      if (run.kind === 'PipelineRun') status = (await followPipelineRun(target, run.name, false)).status;
      else {
        for (;;) {
          status = (await request(target, 'GET', `/api/v1/taskruns/${encodeURIComponent(run.name)}`, ZTaskRunAnswer))
            .status;
          if (status.completionTime) break;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      const c = status.conditions?.[0];
      console.log(
        `${run.kind.toLowerCase()}/${run.name} ${c?.reason ?? 'Unknown'}${c?.message ? `: ${c.message}` : ''}`,
      );
      return c?.status === 'True';
    }),
  );
  return outcomes.every(Boolean);
}

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new CliError(`Cannot read ${file}: ${errorMessage(err)}`, 2);
  }
}

export function registerApply(
  program: Command,
  globals: () => { server?: string; token?: string; output: OutputFormat },
): void {
  program
    .command('apply')
    .description(
      'Apply Tekton YAML (Task, Pipeline, PipelineRun, TaskRun, StepAction, ConfigMap, Secret, PVC) and Argo CD AppProject and argocd-rbac-cm documents',
    )
    .requiredOption('-f, --filename <file>', 'a YAML file with one or more documents (- for stdin)')
    .option('--wait', 'wait for every started run; exit non-zero if any failed')
    .action(async (flags: { filename: string; wait?: boolean }) => {
      const g = globals();
      const target = resolveTarget(g);
      const result = await request(
        target,
        'POST',
        '/api/v1/apply',
        ZApplyAnswer,
        readInput(flags.filename),
        'application/yaml',
      );
      for (const w of result.warnings ?? []) console.error(`Warning: ${w.path}: ${w.message}`);
      print(g.output, result, () =>
        result.applied.map((a) => `${a.kind.toLowerCase()}/${a.name} ${a.action}`).join('\n'),
      );
      if (flags.wait && result.runs.length > 0 && !(await waitForRuns(target, result.runs))) process.exitCode = 1;
    });
}
