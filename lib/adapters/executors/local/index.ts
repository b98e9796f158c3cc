export {
  createLocalExecutor,
  type LocalExecutor,
  type LocalExecutorOptions,
  type SandboxStatus,
} from './local-executor';
export { createLocalHost, type LocalHost, type LocalHostOptions } from './local-host';
export { MAX_RESULT_BYTES } from './results';
