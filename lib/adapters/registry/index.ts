export {
  createImageConfigResolver,
  imageConfigResolverFromEnv,
  type ImageCommand,
  type ImageConfigResolver,
  type ImageConfigResolverOptions,
} from './image-config-resolver';
export { ImageConfigError, type ImageConfigErrorCode } from './image-config-error';
export type { DockerConfigJson } from './registry-auth';
export type { PrivateRegistryHosts } from './registry-host-guard';
export { pullSecretConfig } from './pull-secrets';
