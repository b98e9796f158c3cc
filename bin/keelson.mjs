#!/usr/bin/env node
// The `keelson` CLI. It is TypeScript run through tsx, so the repo needs no separate build for it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
register({ tsconfig: path.join(root, 'tsconfig.json') });
await import(path.join(root, 'cli', 'main.ts'));
