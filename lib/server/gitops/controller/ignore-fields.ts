import type { JqRunner } from '@/lib/adapters/jq';
import { ZKubeObject, type KubeObject } from '@/lib/domain/gitops/k8s-object';
import { ownedFieldTries, withoutOwnedFields } from '@/lib/domain/gitops/managed-fields';
import { ignoreRulesFor } from '@/lib/domain/gitops/normalize';
import type { TApplicationSpec } from '@/lib/schemas/applications';

type Rule = TApplicationSpec['ignoreDifferences'][number];

/** One resource as the diff will see it: its desired object, the server's prediction, and the live object. */
export interface DiffSides {
  desired: KubeObject;
  predicted?: KubeObject;
  live?: KubeObject;
}

/**
 * The parts of `ignoreDifferences` the pure diff cannot do itself: `managedFieldsManagers` (the
 * fields those managers own in the live object go from every side) and `jqPathExpressions` (each
 * side becomes `del(expression)` of itself, run by jq). jsonPointers stay with the domain's diff.
 * A jq expression that fails on an object is reported and leaves that object as it was.
 */
export interface IgnoreTools {
  jq: JqRunner;
  /**
   * The live object with its managedFields, which the watch cache drops to save memory: read from
   * the API server, for the few objects a managedFieldsManagers rule names.
   */
  withManagedFields(live: KubeObject): Promise<KubeObject | undefined>;
}

export async function applyIgnoreRules(
  rules: readonly Rule[],
  sides: DiffSides,
  tools: IgnoreTools,
  errors: string[],
): Promise<DiffSides> {
  const matching = ignoreRulesFor(rules, sides.desired);
  if (matching.length === 0) return sides;
  const managers = matching.flatMap((r) => r.managedFieldsManagers ?? []);
  const expressions = matching.flatMap((r) => r.jqPathExpressions ?? []);
  let owner = sides.live;
  if (managers.length > 0 && sides.live) {
    owner = await tools.withManagedFields(sides.live).catch((err: Error) => {
      errors.push(
        `${sides.desired.kind}/${sides.desired.metadata.name}: ignoreDifferences managedFieldsManagers: ${err.message}`,
      );
      return undefined;
    });
  }
  const tries = ownedFieldTries(owner, managers);
  let out: DiffSides = {
    desired: withoutOwnedFields(sides.desired, tries),
    predicted: sides.predicted && withoutOwnedFields(sides.predicted, tries),
    live: sides.live && withoutOwnedFields(sides.live, tries),
  };
  if (expressions.length === 0) return out;
  const program = expressions.map((e) => `del(${e})`).join(' | ');
  // jq's output is parsed back: an expression that leaves no Kubernetes object is reported like a failure.
  const strip = async (obj: KubeObject): Promise<KubeObject> => {
    try {
      return ZKubeObject.parse(await tools.jq.run(obj, program));
    } catch (err) {
      errors.push(`${obj.kind}/${obj.metadata.name}: ignoreDifferences jqPathExpressions: ${(err as Error).message}`);
      return obj;
    }
  };
  out = {
    desired: await strip(out.desired),
    predicted: out.predicted && (await strip(out.predicted)),
    live: out.live && (await strip(out.live)),
  };
  return out;
}
