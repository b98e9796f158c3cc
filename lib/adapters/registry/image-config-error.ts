/**
 * The one error an image config lookup throws. Its message is for the user who wrote the step: it
 * names the image and says how to fix it, and never carries credentials, tokens or resolved addresses.
 */
export type ImageConfigErrorCode =
  | 'INVALID_REFERENCE'
  | 'REFUSED_HOST'
  | 'UNREACHABLE'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'TOO_LARGE'
  | 'BAD_RESPONSE'
  | 'NO_PLATFORM'
  | 'NO_COMMAND'
  | 'TIMEOUT';

const FIX = 'give the step a command, or make the image readable';

export class ImageConfigError extends Error {
  override readonly name = 'ImageConfigError';

  constructor(
    readonly code: ImageConfigErrorCode,
    readonly image: string,
    /** What went wrong, without the image name (it is prepended) and without the fix (appended). */
    readonly detail: string,
    readonly fix: string = FIX,
  ) {
    super(`cannot read the image config of "${image}": ${detail}; ${fix}`);
  }
}
