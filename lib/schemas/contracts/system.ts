/** Contracts of the probes, the version, this document, the caller and its API tokens. */
import { z } from 'zod';
import { ZMe } from '../accounts';
import { zItems } from '../list';
import { ZApiToken, ZCreatedToken, ZCreateTokenInput, ZPasswordLogin } from '../tokens';
import { contract } from '../contract';
import { tokenIdParam } from './params';

export const ZVersion = z.object({ version: z.string(), node: z.string() });
export const ZTokenList = zItems(ZApiToken);
/** /api/readyz: each check ok, unavailable or timed out; under npm start also the supervised children's state. */
export const ZReadiness = z.object({ ready: z.boolean(), checks: z.record(z.string(), z.string()) });

export const systemContracts = {
  '/api/healthz': {
    get: contract({
      summary: 'Liveness',
      public: true,
      answers: { '200': ['The process is up', z.object({ status: z.literal('ok') })] },
    }),
  },
  '/api/readyz': {
    get: contract({
      summary: 'Readiness: database and job queue (and, under npm start, the supervised workers and embedded Postgres)',
      public: true,
      answers: {
        '200': ['Ready: {ready: true, checks: {database: ok, queue: ok}}', ZReadiness],
        '503': [
          'Not ready: each check is ok, unavailable or timed out (the error itself is in the server log)',
          ZReadiness,
        ],
      },
    }),
  },
  '/api/v1/version': {
    get: contract({ summary: 'Server version', answers: { '200': ['Version', ZVersion] } }),
  },
  '/api/v1/openapi.json': {
    get: contract({ summary: 'This OpenAPI document', answers: { '200': 'OpenAPI 3.1' } }),
  },
  '/api/v1/me': {
    get: contract({
      summary: 'The caller: username, groups, and its roles from the policy (policy.default and g lines)',
      answers: { '200': ['The authenticated user', ZMe] },
    }),
  },
  '/api/v1/tokens': {
    get: contract({ summary: "List the caller's API tokens", answers: { '200': ['Tokens', ZTokenList] } }),
    post: contract({
      summary: 'Create an API token (returned once)',
      body: ZCreateTokenInput,
      answers: { '201': ['Created', ZCreatedToken] },
      errors: { '400': 'Invalid body', '403': 'A project token cannot create API tokens' },
    }),
  },
  '/api/v1/tokens/{id}': {
    delete: contract({
      summary: 'Revoke an API token',
      path: tokenIdParam,
      answers: { '204': 'Revoked' },
      errors: { '400': 'id is not a token id (a UUID)', '404': 'No such active token' },
    }),
  },
  '/api/v1/session/token': {
    post: contract({
      summary: 'Exchange a local username and password for a new API token',
      public: true,
      body: ZPasswordLogin,
      answers: { '201': ['Created', ZCreatedToken] },
      errors: { '401': 'Invalid credentials', '429': 'Too many attempts' },
    }),
  },
};
