export {
  createLocalExecutor,
  type LocalExecutor,
  type LocalExecutorOptions,
  type SandboxStatus,
} from './local-executor';
export { MAX_RESULT_BYTES } from './results';
