import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * `npm test`: lint, typecheck, unit + integration + cluster (vitest), e2e (Playwright in Chromium).
 * Every stage runs even if an earlier one failed, and the last line is `N passed, N failed`.
 */
interface Tally {
  stage: string;
  passed: number;
  failed: number;
  skipped: number;
}

const root = path.resolve(import.meta.dirname, '..');
const results = path.join(root, 'test-results');
mkdirSync(results, { recursive: true });
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function run(cmd: string, args: string[]): number {
  console.log(`\n▶ ${path.basename(cmd)} ${args.join(' ')}`);
  return (
    spawnSync(cmd, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' },
    }).status ?? 1
  );
}

function check(stage: string, cmd: string, args: string[]): Tally {
  const ok = run(cmd, args) === 0;
  return { stage, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 };
}

/** A reporter's JSON file, checked with its schema; undefined when missing or of another shape (counted as failed). */
function readJson<T>(file: string, schema: z.ZodType<T>): T | undefined {
  return existsSync(file) ? schema.safeParse(JSON.parse(readFileSync(file, 'utf8'))).data : undefined;
}

const ZVitestReport = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number(),
});
const ZPlaywrightReport = z.object({
  stats: z.object({ expected: z.number(), unexpected: z.number(), flaky: z.number(), skipped: z.number() }),
});

function vitest(): Tally {
  const out = path.join(results, 'vitest.json');
  rmSync(out, { force: true });
  const code = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  const r = readJson(out, ZVitestReport);
  if (!r) return { stage: 'vitest', passed: 0, failed: 1, skipped: 0 };
  // A non-zero exit with no failed test (a crashed setup, an unhandled error) still counts as a failure.
  const failed = r.numFailedTests + (code !== 0 && r.numFailedTests === 0 ? 1 : 0);
  return {
    stage: 'vitest (unit, integration, cluster)',
    passed: r.numPassedTests,
    failed,
    skipped: r.numPendingTests + r.numTodoTests,
  };
}

function playwright(): Tally {
  const out = path.join(results, 'e2e.json');
  rmSync(out, { force: true });
  const code = run(bin('playwright'), ['test']);
  const r = readJson(out, ZPlaywrightReport);
  if (!r) return { stage: 'e2e', passed: 0, failed: 1, skipped: 0 };
  const failed = r.stats.unexpected + r.stats.flaky + (code !== 0 && r.stats.unexpected === 0 ? 1 : 0);
  return { stage: 'e2e (Playwright, Chromium)', passed: r.stats.expected, failed, skipped: r.stats.skipped };
}

const tallies = [
  check('lint', bin('eslint'), ['.']),
  check('format (prettier --check)', bin('prettier'), ['--check', '.', '--log-level', 'warn']),
  check('typecheck', bin('tsc'), ['--noEmit']),
  vitest(),
  playwright(),
];

console.log('\nSummary');
for (const t of tallies)
  console.log(
    `  ${t.stage.padEnd(38)} ${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`,
  );
const total = tallies.reduce(
  (a, t) => ({ passed: a.passed + t.passed, failed: a.failed + t.failed, skipped: a.skipped + t.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed === 0 ? 0 : 1);
