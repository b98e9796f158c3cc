import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const adapters = {
  group: ['@/lib/adapters/*', '**/adapters/*', '**/adapters/**'],
  message: 'Adapters are reached only through lib/server services.',
};
const io = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
  'pg',
  'pg-boss',
  'drizzle-orm',
  'simple-git',
  '@kubernetes/client-node',
  'react',
  'react-dom',
  'next',
];

const pipelinePorts =
  'The pipeline and gitops use cases reach the database through their ports (lib/server/<area>/ports.ts), not Drizzle.';
const dbAdapters = ['@/lib/adapters/db', '@/lib/adapters/db/*', '**/adapters/db', '**/adapters/db/*'];
const dbSchema = ['@/lib/adapters/db/schema', '**/adapters/db/schema'];
// The ways to process.env besides `process.env` itself: the process module, globalThis.process.env, Reflect.get.
const readEnvThroughLib =
  'Read configuration through lib/env.ts (env(), hostEnvironment()) or cli/env.ts, and pass it in.';
const processEnvSyntax = [
  {
    selector: 'ImportDeclaration[source.value=/^(node:)?process$/]',
    message: readEnvThroughLib,
  },
  {
    selector: "MemberExpression[property.name='env'][object.type='MemberExpression'][object.property.name='process']",
    message: readEnvThroughLib,
  },
  {
    selector: "CallExpression[callee.object.name='Reflect'][arguments.0.name='process']",
    message: readEnvThroughLib,
  },
];
const servicePorts =
  'The auth, token, housekeeping and key rotation use cases reach the database through their ports (lib/server/<area>/ports.ts), not Drizzle.';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.next/**',
      '.next-*/**',
      '.keelson/**',
      'db/migrations/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
      'tests/cluster/**/go/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The domain core is pure: no adapters, no I/O, no UI.
    files: ['lib/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: io.map((name) => ({ name, message: 'lib/domain is pure: no I/O, database, network or React.' })),
          patterns: [
            adapters,
            {
              group: ['next/*', 'react/*', '@/lib/server/*', '@/app/*', '@/components/*'],
              message: 'lib/domain imports nothing outside the domain.',
            },
          ],
        },
      ],
    },
  },
  {
    // The pipeline and gitops use cases reach the database only through their ports (lib/server/pipeline/ports.ts,
    // lib/server/gitops/ports.ts); the Drizzle implementations live in lib/adapters/db and are wired by the
    // composition roots.
    files: ['lib/server/pipeline/**/*.ts', 'lib/server/gitops/**/*.ts', 'lib/server/webhooks/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'drizzle-orm', message: pipelinePorts }],
          patterns: [{ group: ['drizzle-orm/*', ...dbAdapters], message: pipelinePorts }],
        },
      ],
    },
  },
  {
    // ports.ts takes the row shapes from the schema (types only), so the stores and the use cases share one source.
    files: ['lib/server/pipeline/ports.ts', 'lib/server/gitops/ports.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'drizzle-orm', message: pipelinePorts }],
          patterns: [
            // A folder pattern would hide the folder from the exception: its files only, then the schema back in.
            {
              group: ['drizzle-orm/*', ...dbAdapters.filter((g) => g.endsWith('/*')), ...dbSchema.map((g) => `!${g}`)],
              message: pipelinePorts,
            },
            { group: dbSchema, message: pipelinePorts, allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    // The same for auth, tokens, housekeeping and key rotation: Drizzle stays in lib/adapters/db.
    files: [
      'lib/server/auth/**/*.ts',
      'lib/server/tokens/**/*.ts',
      'lib/server/system/**/*.ts',
      'lib/server/security/**/*.ts',
      'lib/server/audit.ts',
    ],
    ignores: ['lib/server/auth/ports.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'drizzle-orm', message: servicePorts }],
          patterns: [{ group: ['drizzle-orm/*', ...dbAdapters], message: servicePorts }],
        },
      ],
    },
  },
  {
    // auth/ports.ts takes the user and token row shapes from the schema, as types only.
    files: ['lib/server/auth/ports.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'drizzle-orm', message: servicePorts }],
          patterns: [
            {
              group: ['drizzle-orm/*', ...dbAdapters.filter((g) => g.endsWith('/*')), ...dbSchema.map((g) => `!${g}`)],
              message: servicePorts,
            },
            { group: dbSchema, message: servicePorts, allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    // Configuration is read in one place per program (lib/env.ts for the server and workers, cli/env.ts
    // for the CLI) and passed in; a child's environment is built through lib/env.ts's hostEnvironment().
    files: ['**/*.{ts,tsx,mjs,js}'],
    ignores: [
      'lib/env.ts',
      'cli/env.ts',
      '**/*.test.ts',
      'tests/**',
      'scripts/**',
      'bench/**',
      'bin/**',
      '*.config.{ts,mjs,js}',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: readEnvThroughLib,
        },
      ],
      'no-restricted-syntax': ['error', ...processEnvSyntax],
    },
  },
  {
    // Under lib/server and lib/adapters the configuration arrives as a value (the composition roots read
    // env() and pass it in), so neither imports env() itself.
    files: ['lib/server/**/*.ts', 'lib/adapters/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...processEnvSyntax,
        {
          selector: "ImportDeclaration[source.value=/(^|\\/)env$/] ImportSpecifier[imported.name='env']",
          message:
            'Take the configuration as a parameter (the web context env, the worker options); only the composition roots call env().',
        },
      ],
    },
  },
  {
    files: ['components/**/*.{ts,tsx}', 'lib/client/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            adapters,
            {
              group: ['@/lib/server/*', '@/lib/server/**'],
              message: 'Components get data through lib/client hooks, not services.',
            },
          ],
        },
      ],
    },
  },
);
