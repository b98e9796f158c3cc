import type { TWhenExpression } from './param-schemas';
import { substituteArray, substituteString, type Scope } from './substitute';

export interface ResolvedWhen {
  input: string;
  operator: 'in' | 'notin';
  values: string[];
}

/** Substitutes each expression (array references in values expand) and reports whether all hold. */
export function evaluateWhen(
  when: readonly TWhenExpression[] | undefined,
  scope: Scope,
): { pass: boolean; resolved: ResolvedWhen[] } {
  const resolved = (when ?? []).map((w) => ({
    input: substituteString(w.input, scope),
    operator: w.operator,
    values: substituteArray(w.values, scope),
  }));
  return { pass: resolved.every(whenHolds), resolved };
}

export function whenHolds(w: ResolvedWhen): boolean {
  const found = w.values.includes(w.input);
  return w.operator === 'in' ? found : !found;
}
