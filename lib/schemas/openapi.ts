import { z } from 'zod';
import { KEELSON_VERSION } from '../version';
import { ZAppProject } from '../domain/gitops/projects';
import { ZRbacConfigMap } from '../domain/access/rbac-config';
import { ZCanIAnswer, ZCanIBatch, ZCanIResults } from './access';
import { ZAccount, ZAccountList, ZCreateAccount, ZMe, ZUpdatePassword } from './accounts';
import {
  ZApplicationDocument,
  ZRefreshRequest,
  ZRollbackRequest,
  ZSetWebhookSecret,
  ZSyncRequest,
} from './applications';
import { ZAuditList } from './audit';
import type { Contract, ContractPaths } from './contract';
import { accessContracts } from './contracts/access';
import { accountContracts } from './contracts/accounts';
import { applicationContracts } from './contracts/applications';
import { gitopsContracts } from './contracts/gitops';
import { pipelineContracts } from './contracts/pipelines';
import { podLogContracts } from './contracts/pod-logs';
import { systemContracts, ZTokenList, ZVersion } from './contracts/system';
import { ZErrorBody, ZPrincipal } from './errors';
import { ZAddCluster, ZAddRepository } from './gitops';
import { operationBuilder, jsonSchema, type Operation } from './openapi-operation';
import { ZPipelineSettingsInput, ZPipelineSettingsView } from './pipeline-settings';
import { ZCancelRun, ZRerunRun, ZStartPipeline } from './pipelines';
import { ZPodList } from './pod-logs';
import { ZCreateProjectToken } from './projects';
import { ZApiToken, ZCreatedToken, ZCreateTokenInput, ZPasswordLogin } from './tokens';

/** Schemas the document names (components); a contract using one of these objects refers to it. */
const schemas = {
  Error: ZErrorBody,
  Principal: ZPrincipal,
  ApiToken: ZApiToken,
  CreatedToken: ZCreatedToken,
  CreateTokenInput: ZCreateTokenInput,
  PasswordLogin: ZPasswordLogin,
  TokenList: ZTokenList,
  Version: ZVersion,
  StartPipeline: ZStartPipeline,
  AddRepository: ZAddRepository,
  AddCluster: ZAddCluster,
  CancelRun: ZCancelRun,
  RerunRun: ZRerunRun,
  ApplicationDocument: ZApplicationDocument,
  SyncRequest: ZSyncRequest,
  RollbackRequest: ZRollbackRequest,
  RefreshRequest: ZRefreshRequest,
  SetWebhookSecret: ZSetWebhookSecret,
  CanIAnswer: ZCanIAnswer,
  CanIBatch: ZCanIBatch,
  CanIResults: ZCanIResults,
  AuditList: ZAuditList,
  Account: ZAccount,
  AccountList: ZAccountList,
  CreateAccount: ZCreateAccount,
  UpdatePassword: ZUpdatePassword,
  Me: ZMe,
  AppProject: ZAppProject,
  RbacConfigMap: ZRbacConfigMap,
  CreateProjectToken: ZCreateProjectToken,
  PodList: ZPodList,
  PipelineSettingsInput: ZPipelineSettingsInput,
  PipelineSettingsView: ZPipelineSettingsView,
} satisfies Record<string, z.ZodType>;

/**
 * Every /api operation's contract, by path and method: the objects the route handlers validate with
 * (route({ contract }) in app/api), so the document is theirs by construction.
 */
export const contracts: ContractPaths = {
  ...systemContracts,
  ...pipelineContracts,
  ...gitopsContracts,
  ...applicationContracts,
  ...podLogContracts,
  ...accountContracts,
  ...accessContracts,
};

const toOperation = operationBuilder(
  new Map(Object.entries(schemas).map(([name, s]) => [s as z.ZodType, name])),
  ZErrorBody,
);

/** Every /api route, documented from its contract. */
export const paths: Record<string, Record<string, Operation>> = Object.fromEntries(
  Object.entries(contracts).map(([path, methods]) => [
    path,
    Object.fromEntries(Object.entries(methods).map(([method, c]) => [method, toOperation(c as Contract)])),
  ]),
);

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'Keelson API', version: KEELSON_VERSION },
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token from Settings → API tokens or `keelson login`',
        },
        session: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token' },
      },
      schemas: Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, jsonSchema(s)])),
    },
  };
}
