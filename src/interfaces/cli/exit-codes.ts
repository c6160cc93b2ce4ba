/** Exit codes mean something, so scripts can tell failures apart. */
import { type ErrorCode, MmragError } from '../../errors.js';

export const ExitCode = {
  ok: 0,
  /** A bug: printed with its stack. */
  internal: 1,
  /** A bad flag, query or config file. */
  usage: 2,
  /** Ingest finished, but some files failed (each is listed with its reason). */
  someFilesFailed: 3,
  /** A model is missing, could not be fetched, or differs from the one the index was built with. */
  model: 4,
  /** The index is locked by another writer, or cannot be opened. */
  index: 5,
  /** Stopped by Ctrl-C after finishing the file in flight. */
  interrupted: 130,
} as const;

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  USAGE: ExitCode.usage,
  CONFIG: ExitCode.usage,
  MODEL_MISSING: ExitCode.model,
  MODEL_MISMATCH: ExitCode.model,
  MODEL_FAILED: ExitCode.model,
  INDEX_LOCKED: ExitCode.index,
  INDEX_CORRUPT: ExitCode.index,
  ABORTED: ExitCode.interrupted,
  REMOTE_FAILED: ExitCode.model,
};

export function exitCodeFor(error: unknown): number {
  if (MmragError.isInstance(error)) return BY_CODE[error.code] ?? ExitCode.usage;
  return ExitCode.internal;
}
