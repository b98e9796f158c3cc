/** The shapes of the route × role table (authorization-matrix.ts) and the helpers its entries are written with. */
import { CALLERS } from '../../fixtures/access/matrix-fixtures';

export { CALLERS };
export type Caller = (typeof CALLERS)[number];
type AD = 'A' | 'D';
/** One letter per caller, in CALLERS order: A allowed, D denied. */
export type Expect = `${AD}${AD}${AD}${AD}${AD}`;

/** What a refused caller must be told it may not do (error.denied of the 403). */
export interface Refusal {
  resource: string | RegExp;
  action: string | RegExp;
  object: string | RegExp;
}

/** What is sent: path params (`$caller` stands for the caller's name), query string, a JSON or YAML body. */
export interface Send {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  yaml?: string;
  headers?: Record<string, string>;
}

export interface Cell extends Send {
  expect: Expect;
  /** Required when any letter is D. */
  denied?: Refusal;
  /** For lists: which callers find each name (as a JSON string) in the answer (A) and which must not (D). */
  sees?: Record<string, Expect>;
}

/** A route that authenticates its own way (or not at all): sent without any principal, answered with `status`. */
export interface PublicCell extends Send {
  public: true;
  status: number[];
}

export type Entry = Cell[] | PublicCell;

export const on = (resource: string | RegExp, action: string | RegExp, object: string | RegExp): Refusal => ({
  resource,
  action,
  object,
});

export const name = (n: string) => ({ params: { name: n } });

/** The same request on a team-a object (expect `a`) and its default twin (expect `d`), `<p>` standing for a/d. */
export function pair(
  n: string,
  expect: { a: Expect; d: Expect },
  denied: (project: string, objectName: string) => Refusal,
  send: Send = {},
): Cell[] {
  return (
    [
      ['a', 'team-a'],
      ['d', 'default'],
    ] as const
  ).map(([p, project]) => {
    const objectName = n.replace('<p>', p);
    return {
      ...send,
      params: { name: objectName, ...send.params },
      expect: expect[p],
      denied: denied(project, objectName),
    };
  });
}
