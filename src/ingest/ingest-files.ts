/**
 * An ingest run: walk the inputs, index each file in turn, and optionally remove what vanished.
 * Files are processed one at a time; the models already use every core for one file. Their
 * writes are committed in batches of several files (pending-commits.ts).
 */
import { stat } from 'node:fs/promises';
import type { Limits } from '../config/options.js';
import { MmragError } from '../errors.js';
import type { ModelProvider } from '../models/model-provider.js';
import { walkSources } from '../sources/walk.js';
import type { Store } from '../store/store.js';
import type { SourceFile } from '../types.js';
import { indexFile } from './index-file.js';
import { type BatchLimits, DEFAULT_BATCH_LIMITS, PendingCommits } from './pending-commits.js';
import { removeSources } from './remove-sources.js';
import {
  type FileOutcome,
  type IngestProgressEvent,
  type IngestReport,
  summarize,
} from './report.js';

export interface IngestOptions {
  /**
   * Index hidden files and folders (names starting with a dot).
   * @default false
   */
  includeHidden?: boolean;
  /**
   * Skip what `.gitignore` files exclude.
   * @default true
   */
  respectGitignore?: boolean;
  /**
   * Also remove indexed files under the given folders that no longer exist.
   * @default false
   */
  sync?: boolean;
  /** Stops the run after the file in flight; that file is finished and committed. */
  signal?: AbortSignal;
  onProgress?: (event: IngestProgressEvent) => void;
  /**
   * How many files' writes go into one store commit. `file-done` progress comes when a file is
   * processed; the report counts it once its batch is committed.
   * @default DEFAULT_BATCH_LIMITS: 32 files, 2048 segments or 1 s of work, whichever first
   */
  batchLimits?: Partial<BatchLimits>;
}

export interface IngestRunContext {
  store: Store;
  models: ModelProvider;
  pipelineKey: string;
  limits: Limits;
  /** The index being replaced by a re-embed, whose records say why each file is redone. */
  previousIndex?: Store;
}

export async function ingestFiles(
  paths: string[],
  options: IngestOptions,
  context: IngestRunContext,
): Promise<IngestReport> {
  const started = Date.now();
  const outcomes: FileOutcome[] = [];

  // In sync mode a root that no longer exists is an empty folder: what it held is removed.
  const walked = options.sync ? await existingPaths(paths) : paths;

  const files: SourceFile[] = [];
  for await (const file of walkSources(walked, {
    includeHidden: options.includeHidden ?? false,
    respectGitignore: options.respectGitignore ?? true,
    onSkip: (path, reason) => outcomes.push({ path, status: 'skipped', segments: 0, reason }),
  })) {
    files.push(file);
  }
  options.onProgress?.({ type: 'discovered', total: files.length });

  // Files commit in batches (pending-commits.ts); an outcome is final once its batch landed.
  const pending = new PendingCommits(context.store, {
    ...DEFAULT_BATCH_LIMITS,
    ...options.batchLimits,
  });
  let waiting: Waiting[] = [];
  const land = async () => {
    outcomes.push(...(await landBatch(pending, waiting)));
    waiting = [];
  };

  let aborted = false;
  try {
    for (const [index, file] of files.entries()) {
      if (options.signal?.aborted) {
        aborted = true;
        break;
      }
      options.onProgress?.({ type: 'file-start', path: file.path, index, total: files.length });
      const before = pending.size;
      const outcome = await indexFile(file, { ...context, store: pending });
      waiting.push({ outcome, wrote: pending.size > before });
      options.onProgress?.({ type: 'file-done', outcome, index, total: files.length });
      if (pending.full()) await land();
    }
  } finally {
    // Also on abort and on an unexpected error: what was processed is committed.
    await land();
  }

  if (options.sync && !aborted) {
    const seen = new Set(files.map((file) => file.path));
    outcomes.push(...(await removeVanished(paths, seen, context.store)));
  }

  await context.store.optimize();
  return summarize(outcomes, aborted, Date.now() - started);
}

async function existingPaths(paths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    const present = await stat(path).then(
      () => true,
      (error: NodeJS.ErrnoException) => error.code !== 'ENOENT' && error.code !== 'ENOTDIR',
    );
    if (present) found.push(path);
  }
  return found;
}

/**
 * Commits the pending batch. When the store refuses it, none of its files is in the index, and
 * each is reported failed with the store's reason (a later run indexes them again).
 */
async function landBatch(pending: PendingCommits, waiting: Waiting[]): Promise<FileOutcome[]> {
  try {
    await pending.flush();
    return waiting.map(({ outcome }) => outcome);
  } catch (error) {
    const reason = `not saved: the index refused the write (${(error as Error).message})`;
    const code = MmragError.isInstance(error) ? error.code : undefined;
    // A file that wrote nothing (unchanged) is as it was.
    return waiting.map(({ outcome, wrote }) =>
      wrote
        ? {
            path: outcome.path,
            status: 'failed',
            modality: outcome.modality,
            segments: 0,
            reason,
            code,
          }
        : outcome,
    );
  }
}

/** A processed file's outcome, and whether it waits on the pending batch. */
interface Waiting {
  outcome: FileOutcome;
  wrote: boolean;
}

/** Removes indexed sources under `roots` that the walk did not see. */
async function removeVanished(
  roots: string[],
  seen: Set<string>,
  store: Store,
): Promise<FileOutcome[]> {
  const under = (path: string) =>
    roots.some((root) => path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`));
  const vanished = (await store.listSources())
    .filter((source) => under(source.path) && !seen.has(source.path))
    .map((source) => source.path);
  return removeSources(vanished, store);
}
