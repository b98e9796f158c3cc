/**
 * Everything a project decides about one Application, for create/update (spec only) and sync (plus the rendered
 * resources): Argo CD's ValidatePermissions (source repos, destination) and IsResourcePermitted (group/kind, and
 * for a namespaced resource its namespace as a destination on the same cluster). Returns the refusals, each with
 * the message Argo CD would show and the rule that refused; empty when everything is permitted.
 */
import type { TAppProject } from './app-project-schema';
import type { ProjectDecision } from './decision';
import { isDestinationPermitted, type Destination } from './destination-permitted';
import { isGroupKindPermitted } from './resource-permitted';
import { isSourcePermitted } from './source-permitted';

export interface ProjectRefusal extends ProjectDecision {
  permitted: false;
  message: string;
}

export interface ProjectResource {
  group: string;
  kind: string;
  name: string;
  /** The object's namespace; empty for a cluster-scoped kind. */
  namespace: string;
  namespaced: boolean;
}

export interface ApplicationTarget {
  sources: readonly { repoURL: string }[];
  destination: Destination;
}

function refuse(decision: ProjectDecision, message: string): ProjectRefusal[] {
  return decision.permitted ? [] : [{ permitted: false, rule: decision.rule, message }];
}

/** The refusals of an Application's spec: each source repo and the destination. */
export function checkApplicationSpec(project: TAppProject, app: ApplicationTarget): ProjectRefusal[] {
  const name = project.metadata.name;
  const dst = app.destination;
  return [
    ...app.sources.flatMap((s) =>
      refuse(
        isSourcePermitted(project.spec.sourceRepos, s.repoURL),
        `application repo ${s.repoURL} is not permitted in project '${name}'`,
      ),
    ),
    ...refuse(
      isDestinationPermitted(project.spec.destinations, dst),
      `application destination {${dst.server || dst.name || ''} ${dst.namespace ?? ''}} is not permitted in project '${name}'`,
    ),
  ];
}

/** The refusals of rendered resources (at sync time): kind lists, then a namespaced object's namespace. */
export function checkResources(
  project: TAppProject,
  destination: Destination,
  resources: readonly ProjectResource[],
): ProjectRefusal[] {
  const name = project.metadata.name;
  return resources.flatMap((r) => {
    const id = `${r.group || 'core'}/${r.kind}${r.namespace ? ` ${r.namespace}/` : ' '}${r.name}`;
    const kind = isGroupKindPermitted(project.spec, r, r.namespaced);
    if (!kind.permitted) return refuse(kind, `resource ${id} is not permitted in project ${name}`);
    if (!r.namespaced || !r.namespace) return [];
    const dst = isDestinationPermitted(project.spec.destinations, { ...destination, namespace: r.namespace });
    return refuse(dst, `resource ${id}: namespace ${r.namespace} is not permitted in project ${name}`);
  });
}

/** One line for a 403/400 body or an InvalidSpecError condition: "… (refused by <rule>)". */
export function describeRefusals(refusals: readonly ProjectRefusal[]): string {
  return refusals.map((r) => `${r.message} (refused by ${r.rule})`).join('; ');
}
