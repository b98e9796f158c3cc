import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * schemathesis (PyPI) against a running Keelson's /api/v1/openapi.json: the fuzz of tests/e2e/api-fuzz.spec.ts
 * and `npm run fuzz`. It lives in its own venv in the cache, pinned (scripts/fuzz-install.sh puts it there).
 */
export const SCHEMATHESIS_VERSION = '4.32.5';

/** The venv scripts/fuzz-install.sh makes (KEELSON_SCHEMATHESIS_VENV overrides it, for both). */
export function schemathesisVenv(): string {
  const cache = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return process.env.KEELSON_SCHEMATHESIS_VENV ?? path.join(cache, 'keelson', `schemathesis-${SCHEMATHESIS_VERSION}`);
}

/** The schemathesis executable; a missing install is an error saying how to install it (never a skip). */
export function schemathesisBin(): string {
  const bin = path.join(schemathesisVenv(), 'bin', 'schemathesis');
  if (!existsSync(bin))
    throw new Error(
      `schemathesis ${SCHEMATHESIS_VERSION} is not installed at ${schemathesisVenv()}: run \`bash scripts/fuzz-install.sh\` ` +
        '(python3 with venv; Debian: apt-get install python3-venv), then run the tests again.',
    );
  return bin;
}

/**
 * Checks made on every response. Left out, and why:
 * - negative_data_rejection / positive_data_acceptance: they grade how exact the request schemas are (a looser
 *   document is not a broken server); `npm run fuzz -- --checks all` shows them for work on the document.
 * - missing_required_header: no operation takes a header besides Authorization.
 * - ignored_auth, object_level_authorization: the authorization matrix (tests/integration/security) proves
 *   every route's 401/403 per role, which one admin token cannot.
 * - use_after_free, ensure_resource_availability: they need create/delete links between operations that the
 *   document does not declare; the e2e specs cover those lifecycles.
 * - response_headers_conformance: no operation documents response headers.
 */
export const FUZZ_CHECKS = [
  'not_a_server_error',
  'response_schema_conformance',
  'status_code_conformance',
  'content_type_conformance',
  'unsupported_method',
  'allow_header_conformance',
];

export interface FuzzSettings {
  maxExamples: number;
  phases: string[];
  workers: number;
  checks: string[];
  /** Same seed, same requests: failures can be replayed. */
  seed?: number;
  /** Extra schemathesis arguments, appended last. */
  extra?: string[];
}

/** The `npm test` budget: all operations, a few examples each, about a minute on 2 cores. */
export const CI_FUZZ: FuzzSettings = {
  maxExamples: 15,
  phases: ['examples', 'coverage', 'fuzzing', 'stateful'],
  workers: 2,
  checks: FUZZ_CHECKS,
};

/** `npm run fuzz`: many more examples per operation. */
export const LONG_FUZZ: FuzzSettings = { ...CI_FUZZ, maxExamples: 300, workers: 2 };

export interface FuzzResult {
  code: number | null;
  output: string;
  /** From the summary: operations tested, test cases generated, seconds, failures (unique). */
  operations: number;
  cases: number;
  seconds: number;
  failures: number;
  reportFile: string;
}

function figure(output: string, re: RegExp): number {
  const m = re.exec(output);
  return m ? Number(m[1]) : NaN;
}

/** Runs schemathesis against `url`'s OpenAPI document with an API token; `echo` streams its output. */
export async function runFuzz(
  url: string,
  token: string,
  settings: FuzzSettings,
  reportDir: string,
  echo?: (chunk: string) => void,
): Promise<FuzzResult> {
  const reportFile = path.join(reportDir, 'schemathesis-junit.xml');
  const args = [
    'run',
    `${url}/api/v1/openapi.json`,
    '--header',
    `Authorization: Bearer ${token}`,
    '--checks',
    settings.checks.join(','),
    '--max-examples',
    String(settings.maxExamples),
    '--phases',
    settings.phases.join(','),
    '--workers',
    String(settings.workers),
    '--request-timeout',
    '30',
    '--no-color',
    '--report',
    'junit',
    '--report-junit-path',
    reportFile,
    ...(settings.seed !== undefined ? ['--seed', String(settings.seed)] : []),
    ...(settings.extra ?? []),
  ];
  const started = Date.now();
  const child = spawn(schemathesisBin(), args, {
    cwd: reportDir,
    // Its example database and cassettes stay in the report folder, not in the checkout.
    env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_HOOKS: path.join(import.meta.dirname, 'schemathesis-hooks.py') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const take = (d: Buffer) => {
    output += d.toString();
    echo?.(d.toString());
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const junit = existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : '';
  return {
    code,
    // The token stays out of what is printed on failure.
    output: output.split(token).join('<token>'),
    operations: figure(output, /Tested: (\d+)/),
    cases: figure(output, /(\d+) generated/),
    seconds: (Date.now() - started) / 1000,
    failures: (junit.match(/<failure\b/g) ?? []).length + (junit.match(/<error\b/g) ?? []).length,
    reportFile,
  };
}
