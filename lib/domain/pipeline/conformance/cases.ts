/**
 * The field-conformance tables (issue 13): for every field of upstream Tekton's Go types
 * (tektoncd/pipeline pkg/apis/pipeline/v1 and v1beta1 StepAction), a minimal document that uses it
 * and what Keelson does with it: accepts it, or refuses it at a path with a reason (upstream's where
 * upstream refuses the same document, ported from its *_validation_test.go tables, in our words).
 */

export type Expectation =
  /** Parsed without an issue. */
  | 'accepted'
  /** Refused with an issue at this path whose message matches. */
  | { refused: { path: string; message: RegExp } }
  /**
   * The schema knows the key (never "Unrecognized key"), whatever else it decides: for fields another
   * part of issue 13 owns (volumes, sidecars, stdoutConfig, pipelines in pipelines), tested there.
   */
  | 'known';

export interface FieldCase {
  /** The Go type, e.g. "Step", "WorkspaceBinding". */
  type: string;
  /** Its JSON field name. */
  field: string;
  /** What the case shows, when a field has several. */
  title?: string;
  doc: unknown;
  expect: Expectation;
  /** Where upstream refuses the same document, its reason (from its validation code or test table). */
  upstream?: string;
}

export const refused = (path: string, message: RegExp): Expectation => ({ refused: { path, message } });

/** The JSON fields of each Go type, as upstream declares them (v1.9, the newest release read). */
export type GoFields = Record<string, readonly string[]>;
