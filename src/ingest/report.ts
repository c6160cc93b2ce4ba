/** What an ingest run tells its caller: per file, and in total. */
import type { ErrorCode } from '../errors.js';
import type { Modality } from '../types.js';

export type FileStatus = 'indexed' | 'unchanged' | 'skipped' | 'failed' | 'removed';

export interface FileOutcome {
  path: string;
  status: FileStatus;
  modality?: Modality;
  /** Segments stored for the file (0 unless indexed or unchanged). */
  segments: number;
  /** Why a file was skipped or failed, in words a person understands. */
  reason?: string;
  code?: ErrorCode;
  /** Things worth knowing about an indexed file (pages OCR'd, a note on re-embedding). */
  notes?: string[];
}

export interface IngestReport {
  files: FileOutcome[];
  counts: Record<FileStatus, number>;
  /** Indexed files per modality. */
  byModality: Partial<Record<Modality, number>>;
  /** True when the run stopped early (Ctrl-C / abort); files not reached are not listed. */
  aborted: boolean;
  durationMs: number;
}

export type IngestProgressEvent =
  | { type: 'discovered'; total: number }
  | { type: 'file-start'; path: string; index: number; total: number }
  | { type: 'file-done'; outcome: FileOutcome; index: number; total: number };

export function summarize(
  files: FileOutcome[],
  aborted: boolean,
  durationMs: number,
): IngestReport {
  const counts: Record<FileStatus, number> = {
    indexed: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    removed: 0,
  };
  const byModality: Partial<Record<Modality, number>> = {};

  for (const file of files) {
    counts[file.status] += 1;
    if (file.status === 'indexed' && file.modality) {
      byModality[file.modality] = (byModality[file.modality] ?? 0) + 1;
    }
  }
  return { files, counts, byModality, aborted, durationMs };
}
