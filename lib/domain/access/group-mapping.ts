/** A CSV field as Argo CD's policy reader (Go encoding/csv) takes it back: quoted when it holds , or ". */
function csvField(value: string): string {
  return /[,"]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The ConfigMap data with `g, <group>, <role>` appended to policy.csv (Settings → Access's "Map group"). */
export function withGroupMapping(data: Record<string, string>, group: string, role: string): Record<string, string> {
  const csv = (data['policy.csv'] ?? '').replace(/\s+$/, '');
  return { ...data, 'policy.csv': `${csv ? `${csv}\n` : ''}g, ${csvField(group)}, ${csvField(role)}\n` };
}
