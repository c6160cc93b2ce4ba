/**
 * Switching an index to other models (`mmrag ingest --reembed`). Vectors of two models never
 * mix, and a new model may have another dimension, so the new index is built beside the old one
 * (`store.next`) from every file the old one holds plus the paths given, and swapped in whole.
 * The old index stays searchable, and is what a crash or Ctrl-C leaves, until the swap.
 *
 * The swap is two renames and the model record; a marker file written first says which models
 * the new store holds, so an open after a crash between those steps can finish the swap.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ModelSet } from '../config/model-sets.js';
import type { Limits } from '../config/options.js';
import { writeIndexModelSet } from '../index-meta.js';
import type { ModelProvider } from '../models/model-provider.js';
import { fsPathFromDisplay } from '../sources/display-path.js';
import { openLanceStore } from '../store/lancedb/index.js';
import type { SpaceInfo, Store } from '../store/store.js';
import type { SpaceName } from '../types.js';
import { type IngestOptions, ingestFiles } from './ingest-files.js';
import type { IngestReport } from './report.js';

const MARKER = 'reembed.json';

export interface ReembedContext {
  indexDir: string;
  /** The index as it is, open for writing: its lock keeps other writers out meanwhile. */
  current: Store;
  models: ModelSet;
  provider: ModelProvider;
  spaces: Partial<Record<SpaceName, SpaceInfo>>;
  pipelineKey: string;
  limits: Limits;
  /** Closes the handle on `current`; called once the new store is in its place. */
  closeCurrent: () => Promise<void>;
}

export async function reembedIndex(
  paths: string[],
  options: IngestOptions,
  context: ReembedContext,
): Promise<IngestReport> {
  const { indexDir, current } = context;
  const storeDir = join(indexDir, 'store');
  const nextDir = join(indexDir, 'store.next');
  const oldDir = join(indexDir, 'store.old');

  // Leftovers of an earlier attempt are only ever removed under the writer lock, held here.
  await fs.rm(nextDir, { recursive: true, force: true });
  await fs.rm(join(indexDir, MARKER), { force: true });

  // Every file the old index holds comes along, not only the paths given this time.
  const under = (path: string) =>
    paths.some((root) => path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`));
  const extra: string[] = [];
  const gone: string[] = [];
  for (const source of await current.listSources()) {
    if (under(source.path)) continue;
    if (await exists(source.path)) extra.push(source.path);
    else gone.push(source.path);
  }

  const next = await openLanceStore({ dir: nextDir, mode: 'write' });
  let report: IngestReport;
  try {
    await next.setSpaces(context.spaces);
    report = await ingestFiles([...paths, ...extra], options, {
      store: next,
      models: context.provider,
      pipelineKey: context.pipelineKey,
      limits: context.limits,
      previousIndex: current,
    });
  } finally {
    await next.close();
  }

  if (report.aborted) {
    await fs.rm(nextDir, { recursive: true, force: true });
    return report;
  }

  // The swap. Each step leaves a state `finishInterruptedReembed` completes.
  await fs.writeFile(join(indexDir, MARKER), JSON.stringify({ models: context.models }));
  await fs.rename(storeDir, oldDir);
  await fs.rename(nextDir, storeDir);
  await writeIndexModelSet(indexDir, context.models);
  await context.closeCurrent();
  await fs.rm(oldDir, { recursive: true, force: true });
  await fs.rm(join(indexDir, MARKER), { force: true });

  for (const path of gone) {
    report.files.push({
      path,
      status: 'removed',
      segments: 0,
      reason: 'gone from disk, so not carried into the re-embedded index',
    });
    report.counts.removed += 1;
  }
  return report;
}

/**
 * Completes a swap a crash interrupted, before anything opens the index: the new store is
 * complete once the marker exists, so the swap goes forward.
 */
export async function finishInterruptedReembed(indexDir: string): Promise<void> {
  const marker = join(indexDir, MARKER);
  const storeDir = join(indexDir, 'store');
  const oldDir = join(indexDir, 'store.old');
  const nextDir = join(indexDir, 'store.next');
  if (!(await exists(marker)) || !(await exists(oldDir))) return;

  const { models } = JSON.parse(await fs.readFile(marker, 'utf8')) as { models: ModelSet };
  if (!(await exists(storeDir))) {
    if (await exists(nextDir)) await fs.rename(nextDir, storeDir);
    else await fs.rename(oldDir, storeDir);
  }
  if (await exists(oldDir)) {
    await writeIndexModelSet(indexDir, models);
    await fs.rm(oldDir, { recursive: true, force: true });
  }
  await fs.rm(marker, { force: true });
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(fsPathFromDisplay(path));
    return true;
  } catch {
    return false;
  }
}
