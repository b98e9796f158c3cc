/** The pure core of Keelson's Applications engine (Argo CD model). See each module for details. */
export * from './k8s-object';
export * from './health/index';
export * from './normalize';
export * from './unified-diff';
export * from './diff';
export * from './hooks';
export * from './waves';
export * from './sync-options';
export * from './sync-plan';
export * from './sync-operation';
export * from './tracking';
export * from './auto-sync';
export * from './mask-secrets';
export * from './stored-sync';
export * from './resource-updates';
