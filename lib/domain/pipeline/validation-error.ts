/** Tekton's validation reasons, as a PipelineRun's condition reports them when it cannot start. */
export type ValidationReason =
  | 'ParameterMissing'
  | 'ParameterTypeMismatch'
  | 'ObjectParameterMissKeys'
  | 'InvalidParamValue'
  | 'PipelineInvalidGraph'
  | 'InvalidTaskResultReference'
  | 'CouldntGetTask'
  | 'InvalidWorkspaceBindings'
  | 'PipelineValidationFailed'
  | 'TaskRunValidationFailed'
  | 'CreateContainerConfigError';

export interface ValidationError {
  reason: ValidationReason;
  /** The pipeline task the error is about, when there is one. */
  task?: string;
  /** Path from the document root, e.g. `spec.tasks[2].params`. */
  path: string;
  message: string;
  /** One sentence saying how to fix it. */
  hint: string;
}
