import { ESLint } from 'eslint';
import { expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

it.each([
  ['lib/domain/pipeline/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;"],
  ['lib/domain/pipeline/x.ts', "import { connectDb } from '@/lib/adapters/db/client';\nexport const x = connectDb;"],
  ['lib/domain/gitops/x.ts', "import { useState } from 'react';\nexport const x = useState;"],
  ['lib/domain/gitops/x.ts', "import pg from 'pg';\nexport const x = pg;"],
  ['components/ui/x.tsx', "import { connectDb } from '@/lib/adapters/db/client';\nexport const x = connectDb;"],
  ['components/ui/x.tsx', "import { deps } from '@/lib/server/context';\nexport const x = deps;"],
  ['lib/server/pipeline/x.ts', "import { eq } from 'drizzle-orm';\nexport const x = eq;"],
  ['lib/server/pipeline/x.ts', "import type { Db } from '@/lib/adapters/db/client';\nexport type X = Db;"],
  ['lib/server/pipeline/x.ts', "import { taskRuns } from '../../adapters/db/schema';\nexport const x = taskRuns;"],
  [
    'lib/server/pipeline/ports.ts',
    "import { pipelineRuns } from '@/lib/adapters/db/schema';\nexport const x = pipelineRuns;",
  ],
  ['lib/server/webhooks/receive-trigger-delivery.ts', "import { sql } from 'drizzle-orm';\nexport const x = sql;"],
  ['lib/server/auth/x.ts', "import { eq } from 'drizzle-orm';\nexport const x = eq;"],
  ['lib/server/tokens/x.ts', "import { apiTokens } from '@/lib/adapters/db/schema';\nexport const x = apiTokens;"],
  ['lib/server/system/x.ts', "import type { Db } from '../../adapters/db/client';\nexport type X = Db;"],
  ['lib/server/security/x.ts', "import { sql } from 'drizzle-orm';\nexport const x = sql;"],
  ['lib/server/audit.ts', "import { auditLog } from '@/lib/adapters/db/schema';\nexport const x = auditLog;"],
  ['lib/server/auth/ports.ts', "import { users } from '@/lib/adapters/db/schema';\nexport const x = users;"],
  ['lib/server/gitops/applications/x.ts', "import { eq } from 'drizzle-orm';\nexport const x = eq;"],
  ['lib/server/gitops/controller/x.ts', "import type { Tx } from '@/lib/adapters/db/client';\nexport type X = Tx;"],
  ['lib/server/gitops/x.ts', "import { clusters } from '../../adapters/db/schema';\nexport const x = clusters;"],
  [
    'lib/server/gitops/ports.ts',
    "import { applications } from '@/lib/adapters/db/schema';\nexport const x = applications;",
  ],
  [
    'lib/server/webhooks/x.ts',
    "import { createGitopsStores } from '@/lib/adapters/db/gitops-stores';\nexport const x = 1;",
  ],
])('lint refuses the import in %s', async (file, code) => {
  expect(await restrictedImports(file, code)).not.toEqual([]);
});

it('lint allows the directions the architecture wants', async () => {
  expect(
    await restrictedImports(
      'lib/server/x.ts',
      "import { connectDb } from '@/lib/adapters/db/client';\nexport const x = connectDb;",
    ),
  ).toEqual([]);
  expect(await restrictedImports('lib/domain/x.ts', "import { z } from 'zod';\nexport const x = z;")).toEqual([]);
  // The pipeline ports take the row shapes from the schema, as types only.
  expect(
    await restrictedImports(
      'lib/server/pipeline/ports.ts',
      "import type { TaskRunRow } from '@/lib/adapters/db/schema';\nexport type X = TaskRunRow;",
    ),
  ).toEqual([]);
  expect(
    await restrictedImports(
      'lib/server/gitops/ports.ts',
      "import type { applications } from '@/lib/adapters/db/schema';\nexport type X = typeof applications.$inferSelect;",
    ),
  ).toEqual([]);
  expect(
    await restrictedImports(
      'lib/server/auth/ports.ts',
      "import type { UserRow } from '@/lib/adapters/db/schema';\nexport type X = UserRow;",
    ),
  ).toEqual([]);
  expect(
    await restrictedImports('components/ui/x.tsx', "import { useState } from 'react';\nexport const x = useState;"),
  ).toEqual([]);
});

async function environmentReads(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-properties' || m.ruleId === 'no-restricted-syntax')
    .length;
}

it.each([
  ['lib/adapters/render/x.ts', 'export const x = process.env.PATH;'],
  ['lib/server/auth/x.ts', 'const { env } = process;\nexport const x = env.KEELSON_URL;'],
  ['workers/x.ts', 'export const x = process.env.DATABASE_URL;'],
  ['cli/commands/x.ts', 'export const x = process.env.KEELSON_TOKEN;'],
  ['app/api/x/route.ts', 'export const x = process.env.KEELSON_URL;'],
  ['lib/server/x.ts', "import { env } from 'node:process';\nexport const x = env.KEELSON_SEALING_KEYS;"],
  ['lib/server/y.ts', "import p from 'process';\nexport const x = p.env.DATABASE_URL;"],
  ['lib/adapters/x.ts', 'export const x = globalThis.process.env.KEELSON_SESSION_KEYS;'],
  ['lib/adapters/y.ts', "export const x = Reflect.get(process, 'env');"],
  ['lib/server/auth/x.ts', "import { env } from '@/lib/env';\nexport const x = env().KEELSON_URL;"],
  ['lib/adapters/render/x.ts', "import { env as e } from '../../env';\nexport const x = e().PATH;"],
])('lint refuses reading process.env in %s', async (file, code) => {
  expect(await environmentReads(file, code)).toBeGreaterThan(0);
});

it('lint allows env() in the composition roots, and the configuration type and helpers under lib/server', async () => {
  const call = "import { env } from '@/lib/env';\nexport const x = env().KEELSON_URL;";
  for (const file of ['workers/x.ts', 'server.ts', 'scripts/x.ts', 'bench/x.ts', 'lib/server/x.test.ts'])
    expect(await environmentReads(file, call)).toBe(0);
  const helpers = "import { publicUrl, type TEnv } from '@/lib/env';\nexport const x = (e: TEnv) => publicUrl(e);";
  expect(await environmentReads('lib/server/auth/x.ts', helpers)).toBe(0);
});

it('lint allows process.env where configuration is read, and in tests and scripts', async () => {
  for (const file of ['lib/env.ts', 'cli/env.ts', 'tests/integration/x.ts', 'scripts/x.ts', 'lib/adapters/x.test.ts'])
    expect(await environmentReads(file, 'export const x = process.env.PATH;')).toBe(0);
});
