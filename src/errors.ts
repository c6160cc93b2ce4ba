/**
 * Every error mmrag throws on purpose is an `MmragError` with a stable `code`, the value at fault
 * and what to do about it. Interfaces print `message` for user mistakes and a stack otherwise.
 */

const MARKER = Symbol.for('mmrag.error');

export type ErrorCode =
  | 'USAGE' // a bad flag, option or query
  | 'CONFIG' // a config file or option that cannot be used
  | 'MODEL_MISSING' // a model folder or download is not there
  | 'MODEL_MISMATCH' // the index was built with another model
  | 'MODEL_FAILED' // a model loaded but failed to run
  | 'INDEX_LOCKED' // another process is writing to the index
  | 'INDEX_CORRUPT' // the index cannot be opened
  | 'FILE_UNREADABLE' // the file cannot be read at all
  | 'FILE_EMPTY'
  | 'FILE_TOO_LARGE'
  | 'FILE_UNSUPPORTED' // a type mmrag does not index
  | 'FILE_CORRUPT' // the bytes are not a valid file of their type
  | 'FILE_ENCRYPTED'
  | 'NO_SPEECH'
  | 'LIMIT_EXCEEDED'
  | 'ABORTED'
  | 'REMOTE_FAILED'; // a model server refused, failed or sent something unreadable

export interface MmragErrorOptions {
  /** The offending value: a path, a model id, a flag. */
  subject?: string;
  /** What the user can do about it. */
  hint?: string;
  cause?: unknown;
}

export class MmragError extends Error {
  readonly [MARKER] = true;
  override readonly name = 'MmragError';
  readonly code: ErrorCode;
  readonly subject?: string;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: MmragErrorOptions = {}) {
    super(options.hint ? `${message} ${options.hint}` : message, { cause: options.cause });
    this.code = code;
    this.subject = options.subject;
    this.hint = options.hint;
  }

  /** True for an MmragError from any copy of this package. */
  static isInstance(value: unknown): value is MmragError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

/** True when the error is one a user caused and can fix, so a stack would only be noise. */
export function isUserError(error: unknown): boolean {
  return MmragError.isInstance(error) && error.code !== 'MODEL_FAILED';
}
