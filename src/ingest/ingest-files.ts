/**
 * An ingest run: walk the inputs, index each file in turn, and optionally remove what vanished.
 * Files are processed one at a time; the models already use every core for one file.
 */
import { stat } from 'node:fs/promises';
import type { Limits } from '../config/options.js';
import type { ModelProvider } from '../models/model-provider.js';
import { walkSources } from '../sources/walk.js';
import type { Store } from '../store/store.js';
import type { SourceFile } from '../types.js';
import { indexFile } from './index-file.js';
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

  let aborted = false;
  for (const [index, file] of files.entries()) {
    if (options.signal?.aborted) {
      aborted = true;
      break;
    }
    options.onProgress?.({ type: 'file-start', path: file.path, index, total: files.length });
    const outcome = await indexFile(file, context);
    outcomes.push(outcome);
    options.onProgress?.({ type: 'file-done', outcome, index, total: files.length });
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
