import type { TAuditEntry } from '@/lib/schemas/audit';

interface PatchOp {
  op: string;
  path: string;
  value?: unknown;
}

const isPatch = (v: unknown): v is PatchOp[] =>
  Array.isArray(v) && v.every((o) => typeof o === 'object' && o !== null && 'op' in o && 'path' in o);

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** A row's details: a spec change's JSON Patch as one line per change, then anything else as JSON. */
export function AuditDetails({ entry }: { entry: TAuditEntry }) {
  const { diff, ...rest } = entry.details ?? {};
  const others = Object.keys(rest).length > 0;
  return (
    <div className="audit-details">
      {isPatch(diff) ? (
        diff.length === 0 ? (
          <p className="muted">No change to the spec.</p>
        ) : (
          <ul className="audit-diff" aria-label="Changes (JSON Patch)">
            {diff.map((op, i) => (
              <li key={i} className={`audit-op audit-op-${op.op}`}>
                <span className="audit-op-name">{op.op}</span> <code>{op.path || '/'}</code>
                {op.op !== 'remove' ? (
                  <>
                    {' → '}
                    <code>{show(op.value)}</code>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )
      ) : null}
      {others ? <pre className="audit-json">{JSON.stringify(rest, null, 2)}</pre> : null}
      {entry.ip ? <p className="muted">From {entry.ip}</p> : null}
    </div>
  );
}
