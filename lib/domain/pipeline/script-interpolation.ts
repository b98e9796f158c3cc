/**
 * Tekton pastes `$(params.x)` into a step's `script` before the shell reads it, so a value such as
 * `x"; id; echo "` (a commit message from a webhook payload) runs as shell. Tekton's docs advise
 * passing values through `env` instead; apply warns (it does not refuse) when a script interpolates
 * params or a trigger's `$(body.…)`.
 */
export interface ScriptWarning {
  /** e.g. `documents[1].spec.steps[0].script` */
  path: string;
  message: string;
}

const INTERPOLATION = /\$\((params|inputs\.params|body)(\.[^)\s]*|\[[^\]]*\][^)\s]*)\)/g;

function envName(reference: string): string {
  const last =
    reference
      .replace(/\[\*\]$/, '')
      .split(/[.[\]'"]+/)
      .filter(Boolean)
      .pop() ?? 'VALUE';
  return last.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

function warning(path: string, script: string): ScriptWarning | undefined {
  const refs = [...new Set([...script.matchAll(INTERPOLATION)].map((m) => m[0]))];
  if (refs.length === 0) return undefined;
  const first = refs[0];
  const name = envName(first.slice(2, -1));
  return {
    path,
    message:
      `script interpolates ${refs.join(', ')}: the value is pasted into the script before the shell reads it, so a value like \`x"; id; echo "\` runs as a command. ` +
      `Pass it through env instead, as Tekton's docs advise: env: [{ name: ${name}, value: "${first}" }] and use "$${name}" in the script.`,
  };
}

/** Warnings for every `script` (steps, sidecars, step actions, inline specs at any depth) in the documents. */
export function scriptInterpolationWarnings(documents: readonly unknown[]): ScriptWarning[] {
  const out: ScriptWarning[] = [];
  const stack: { value: unknown; path: string }[] = documents
    .map((value, i) => ({ value, path: `documents[${i}]` }))
    .reverse();
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i -= 1) stack.push({ value: value[i], path: `${path}[${i}]` });
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, child] = entries[i];
        if (key === 'script' && typeof child === 'string') {
          const w = warning(`${path}.script`, child);
          if (w) out.push(w);
        } else stack.push({ value: child, path: `${path}.${key}` });
      }
    }
  }
  return out;
}
