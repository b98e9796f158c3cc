/**
 * Argo CD's AppProject as pure domain code (issue 12): the schema, the default project, and the checks an
 * Application must pass (source repo, destination, resource kinds, sync windows), each naming the rule that decided.
 */
export {
  DEFAULT_PROJECT,
  defaultProject,
  ZAppProject,
  ZAppProjectSpec,
  ZGroupKind,
  ZProjectDestination,
  ZProjectRole,
  ZSyncWindow,
  type TAppProject,
  type TAppProjectSpec,
  type TGroupKind,
  type TProjectDestination,
  type TProjectRole,
  type TSyncWindow,
} from './app-project-schema';
export type { ProjectDecision } from './decision';
export { isSourcePermitted, normalizeRepoUrl } from './source-permitted';
export { isDestinationPermitted, type Destination } from './destination-permitted';
export { isGroupKindPermitted, type GroupKindName } from './resource-permitted';
export { isLiveResourcePermitted, type LiveResourceRef } from './live-resource-permitted';
export {
  activeSpan,
  activeWindows,
  canSync,
  inactiveAllows,
  isWindowActive,
  matchingWindows,
  windowMatches,
  type SyncWindowApp,
  type SyncWindowDecision,
} from './sync-windows';
export {
  checkApplicationSpec,
  checkResources,
  describeRefusals,
  type ApplicationTarget,
  type ProjectRefusal,
  type ProjectResource,
} from './check-application';
export { validateProjectSpec, type ProjectIssue } from './validate-project';
export { PROJECT_POLICY_RESOURCES, policyProblem, projectPolicyLines, validateRolePolicies } from './role-policies';
export {
  findOrphanedResources,
  isOrphanedWarn,
  ORPHANED_RESOURCE_WARNING,
  orphanedWarningMessage,
  type OrphanedResourcesInput,
  type TOrphanedResource,
  type TOrphanedResourcesSettings,
} from './orphaned-resources';
