/**
 * The engine: the one module that sees the whole flow. It resolves options, opens the store,
 * provides models, and hands each stage what it needs.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type AskOptions, type AskStream, ask } from './answer/index.js';
import {
  type GeneratorConfig,
  type ModelSet,
  modelSetLimits,
  resolveModelSet,
  scaleFusionWeights,
} from './config/model-sets.js';
import { type EngineOptions, type ResolvedOptions, resolveOptions } from './config/options.js';
import { MmragError } from './errors.js';
import { normalizeImage } from './extract/image/index.js';
import { modelSetKey, readIndexModelSet, writeIndexModelSet } from './index-meta.js';
import { PIPELINE_VERSION } from './ingest/index-file.js';
import { type IngestOptions, ingestFiles } from './ingest/ingest-files.js';
import { finishInterruptedReembed, reembedIndex } from './ingest/reembed-index.js';
import { removeSources } from './ingest/remove-sources.js';
import type { FileOutcome, IngestReport } from './ingest/report.js';
import { createModelProvider, type ModelProvider } from './models/model-provider.js';
import { type SearchOptions, type SearchResponse, search } from './retrieve/search.js';
import { openLanceStore } from './store/lancedb/index.js';
import type { SourceRecord, SpaceInfo, Store } from './store/store.js';
import type { Modality, RgbImage, SpaceName, StoredSegment } from './types.js';

export interface EngineQuery {
  text?: string;
  /** A path to a picture, its bytes, or decoded pixels. */
  image?: string | Uint8Array | RgbImage;
}

export interface IndexStatus {
  indexDir: string;
  models: ModelSet;
  /** What the model set cannot do (lite has no image similarity or speech). */
  modelLimits: string[];
  spaces: Partial<Record<SpaceName, SpaceInfo>>;
  segments: Record<SpaceName, number>;
  /** Indexed files per modality. */
  files: Partial<Record<Modality, number>>;
  skipped: Pick<SourceRecord, 'path' | 'reason'>[];
  failed: Pick<SourceRecord, 'path' | 'reason'>[];
}

export interface IndexedSegment {
  segment: StoredSegment;
  /** Indexed paths with this content, first indexed first. Empty when none is left. */
  paths: string[];
}

export interface Engine {
  readonly indexDir: string;
  readonly models: ModelSet;
  ingest(paths: string[], options?: IngestOptions): Promise<IngestReport>;
  search(query: string | EngineQuery, options?: SearchOptions): Promise<SearchResponse>;
  /** Removes the given files, and every indexed file under a given folder. */
  remove(paths: string[]): Promise<FileOutcome[]>;
  status(): Promise<IndexStatus>;
  /** Loads every model of the set, downloading what is missing; for `mmrag models pull`. */
  pullModels(): Promise<void>;
  getThumbnail(segmentId: string): Promise<Uint8Array | undefined>;
  /** The chat model `ask` answers with; null answers extractively (no model). */
  readonly generator: GeneratorConfig | null;
  /**
   * Answers a question from the index with numbered citations. Iterate the stream for text as
   * it is written; await `result` for the checked answer. Stop it with `options.signal`.
   */
  ask(question: string | EngineQuery, options?: AskOptions): AskStream;
  /** A stored segment and every indexed path holding its content; undefined when not indexed. */
  getSegment(segmentId: string): Promise<IndexedSegment | undefined>;
  /** Every path the index knows, indexed, skipped or failed, sorted by path. */
  listSources(): Promise<SourceRecord[]>;
  /**
   * Takes the writer lock now and keeps it until `close`, creating an empty index when there is
   * none. A server does this at start, so searches never race a switch of stores mid-request.
   */
  openForWriting(): Promise<void>;
  close(): Promise<void>;
}

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const resolved = resolveOptions(options);
  await finishInterruptedReembed(resolved.indexDir);
  const recorded = await readIndexModelSet(resolved.indexDir);
  const models = await chooseModelSet(resolved, options.reembed ?? false);
  const provider = createModelProvider({
    set: models,
    modelsDir: resolved.modelsDir,
    offline: resolved.offline,
    onProgress: resolved.onModelProgress,
    // The generator is not part of what an index was built with: options and the environment
    // win, then the requested set's entry, then the one recorded with the index.
    generator:
      resolved.generator !== undefined
        ? resolved.generator
        : ((resolved.models === undefined
            ? undefined
            : resolveModelSet(resolved.models).generator) ??
          models.generator ??
          null),
  });
  const engine = new DefaultEngine(resolved, models, provider);
  engine.reembedPending = recorded !== undefined && modelSetKey(recorded) !== modelSetKey(models);
  return engine;
}

/** An existing index keeps its models; asking for others is refused rather than mixed in. */
async function chooseModelSet(options: ResolvedOptions, reembed: boolean): Promise<ModelSet> {
  const recorded = await readIndexModelSet(options.indexDir);
  const requested = options.models === undefined ? undefined : resolveModelSet(options.models);
  if (recorded && requested && modelSetKey(recorded) !== modelSetKey(requested)) {
    // Asked for: the next ingest rebuilds the index with the requested set (reembed-index.ts).
    if (reembed) return requested;
    throw new MmragError(
      'MODEL_MISMATCH',
      `The index ${options.indexDir} was built with the "${recorded.name}" models ` +
        `(${modelSetKey(recorded)}), not "${requested.name}" (${modelSetKey(requested)}).`,
      {
        subject: options.indexDir,
        hint:
          'Leave out --models to use the index as built, use a new --index folder, or add ' +
          '--reembed to switch this index to the new models and re-embed every file.',
      },
    );
  }
  return recorded ?? requested ?? resolveModelSet(options.newIndexModels);
}

class DefaultEngine implements Engine {
  readonly indexDir: string;
  private store: Store | undefined;
  private storeMode: 'read' | 'write' = 'read';
  /** The index holds other models' vectors; the next ingest re-embeds it (`reembed`). */
  reembedPending = false;
  private closed = false;

  constructor(
    private readonly options: ResolvedOptions,
    readonly models: ModelSet,
    private readonly provider: ModelProvider,
  ) {
    this.indexDir = options.indexDir;
  }

  async ingest(paths: string[], options: IngestOptions = {}): Promise<IngestReport> {
    this.assertOpen();
    if (paths.length === 0) {
      throw new MmragError('USAGE', 'No files or folders to ingest.', {
        hint: 'Name at least one path.',
      });
    }
    const absolute = paths.map((path) => resolve(path));

    // A typo or a missing model fails before anything is written, so a failed first run
    // leaves no half-made index behind. Sync treats a vanished root as empty instead.
    if (!options.sync) await requireExisting(absolute);

    // Every model loads before the first file, so a missing one fails the run at once
    // instead of failing each file in turn.
    await this.provider.loadAll();
    const store = await this.openStore('write');
    if (this.reembedPending) {
      const report = await reembedIndex(absolute, options, {
        indexDir: this.indexDir,
        current: store,
        models: this.models,
        provider: this.provider,
        spaces: await this.spaceInfo(),
        pipelineKey: `v${PIPELINE_VERSION};${modelSetKey(this.models)}`,
        limits: this.options.limits,
        closeCurrent: async () => {
          await this.store?.close();
          this.store = undefined;
        },
      });
      this.reembedPending = report.aborted;
      return report;
    }
    await store.setSpaces(await this.spaceInfo());
    await writeIndexModelSet(this.indexDir, this.models);

    return ingestFiles(absolute, options, {
      store,
      models: this.provider,
      pipelineKey: `v${PIPELINE_VERSION};${modelSetKey(this.models)}`,
      limits: this.options.limits,
    });
  }

  async search(query: string | EngineQuery, options: SearchOptions = {}): Promise<SearchResponse> {
    this.assertOpen();
    const request = typeof query === 'string' ? { text: query } : query;
    const image =
      request.image === undefined ? undefined : await this.decodeQueryImage(request.image);
    if (!request.text?.trim() && !image) {
      throw new MmragError('USAGE', 'The query is empty.', {
        hint: 'Give words to search for, or an image with --image.',
      });
    }
    const store = await this.openStore('read');
    return search({ text: request.text, image }, options, {
      store,
      fusion: {
        ...this.options.fusion,
        weights: scaleFusionWeights(this.options.fusion.weights, this.models),
      },
      minSimilarity: {
        text: this.models.text.minSimilarity,
        vision: this.models.vision?.minSimilarity ?? 0,
      },
      textEmbedder: () => this.provider.textEmbedder(),
      imageTextEmbedder: () => this.provider.imageTextEmbedder(),
      recognizer: () => this.provider.recognizer(),
    });
  }

  async remove(paths: string[]): Promise<FileOutcome[]> {
    this.assertOpen();
    const store = await this.openStore('write');
    const targets = new Set<string>();
    const roots = paths.map((path) => resolve(path));
    for (const source of await store.listSources()) {
      if (roots.some((root) => source.path === root || source.path.startsWith(`${root}/`))) {
        targets.add(source.path);
      }
    }
    const outcomes = await removeSources([...targets], store);
    await store.optimize();
    return outcomes;
  }

  async status(): Promise<IndexStatus> {
    this.assertOpen();
    const store = await this.openStore('read');
    const sources = await store.listSources();
    const files: Partial<Record<Modality, number>> = {};
    for (const source of sources) {
      if (source.status === 'indexed' && source.modality !== 'unknown') {
        files[source.modality] = (files[source.modality] ?? 0) + 1;
      }
    }
    const pick = (status: SourceRecord['status']) =>
      sources
        .filter((source) => source.status === status)
        .map(({ path, reason }) => ({ path, reason }));
    return {
      indexDir: this.indexDir,
      models: this.models,
      modelLimits: modelSetLimits(this.models),
      spaces: await store.spaces(),
      segments: await store.countSegments(),
      files,
      skipped: pick('skipped'),
      failed: pick('failed'),
    };
  }

  get generator(): GeneratorConfig | null {
    return this.provider.generatorConfig;
  }

  ask(question: string | EngineQuery, options: AskOptions = {}): AskStream {
    this.assertOpen();
    const request = typeof question === 'string' ? { text: question } : question;
    return ask({ question: request.text ?? '' }, options, {
      search: (searchOptions) => this.search(request, searchOptions),
      store: () => this.openStore('read'),
      generator: () => this.provider.generator(),
      queryImage: () => encodedQueryImage(request.image),
    });
  }

  async pullModels(): Promise<void> {
    this.assertOpen();
    await this.provider.loadAll();
    // A local chat model is a download too; a remote one has nothing to fetch.
    if (this.provider.generatorConfig && !('remote' in this.provider.generatorConfig)) {
      await this.provider.generator();
    }
  }

  async getThumbnail(segmentId: string): Promise<Uint8Array | undefined> {
    this.assertOpen();
    return (await this.openStore('read')).getThumbnail(segmentId);
  }

  async getSegment(segmentId: string): Promise<IndexedSegment | undefined> {
    this.assertOpen();
    const store = await this.openStore('read');
    const [segment] = await store.getSegments([segmentId]);
    if (!segment) return undefined;
    return { segment, paths: await store.pathsForContent(segment.contentHash) };
  }

  async listSources(): Promise<SourceRecord[]> {
    this.assertOpen();
    return (await this.openStore('read')).listSources();
  }

  async openForWriting(): Promise<void> {
    this.assertOpen();
    await this.openStore('write');
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.provider.dispose();
    await this.store?.close();
    this.store = undefined;
  }

  /** A closed engine's models are disposed; using them would fail deep inside the runtime. */
  private assertOpen(): void {
    if (this.closed) {
      throw new MmragError('USAGE', 'The engine is closed.', {
        subject: this.indexDir,
        hint: 'Create a new engine with createEngine to use the index again.',
      });
    }
  }

  private async openStore(mode: 'read' | 'write'): Promise<Store> {
    if (this.store && (mode === 'read' || this.storeMode === 'write')) return this.store;
    if (mode === 'read' && !(await exists(this.indexDir))) {
      throw new MmragError('USAGE', `There is no index at ${this.indexDir}.`, {
        subject: this.indexDir,
        hint: 'Run `mmrag ingest <paths>` first, or point --index at an existing index.',
      });
    }
    if (this.options.readOnly && mode === 'write') {
      throw new MmragError('USAGE', 'This engine was opened read-only.', {
        subject: this.indexDir,
      });
    }
    await this.store?.close();
    this.store = await openLanceStore({ dir: resolve(this.indexDir, 'store'), mode });
    this.storeMode = mode;
    return this.store;
  }

  private async spaceInfo(): Promise<Partial<Record<SpaceName, SpaceInfo>>> {
    const text = await this.provider.textEmbedder();
    const vision = await this.provider.imageTextEmbedder();
    return {
      text: { model: text.id, dimension: text.dimension },
      ...(vision ? { vision: { model: vision.id, dimension: vision.dimension } } : {}),
    };
  }

  private async decodeQueryImage(image: string | Uint8Array | RgbImage): Promise<RgbImage> {
    if (typeof image === 'object' && 'data' in image && 'width' in image) return image;
    let bytes: Uint8Array;
    if (typeof image === 'string') {
      try {
        bytes = await readFile(image);
      } catch (error) {
        throw new MmragError('USAGE', `Cannot read the query image ${image}.`, {
          subject: image,
          hint: 'Check the path to the picture (relative paths start from the current folder).',
          cause: error,
        });
      }
    } else {
      bytes = image;
    }
    const normalized = await normalizeImage(bytes, {
      maxPixels: this.options.limits.maxImagePixels,
    });
    return normalized.image;
  }
}

/** The question's picture as encoded bytes, for a generator that reads images. */
async function encodedQueryImage(
  image: EngineQuery['image'],
): Promise<{ bytes: Uint8Array; mimeType: string } | undefined> {
  if (image === undefined || (typeof image === 'object' && 'data' in image)) return undefined;
  const bytes = typeof image === 'string' ? await readFile(image) : image;
  const png = bytes[0] === 0x89 && bytes[1] === 0x50;
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  return { bytes, mimeType: png ? 'image/png' : jpeg ? 'image/jpeg' : 'image/webp' };
}

async function requireExisting(paths: string[]): Promise<void> {
  const missing: string[] = [];
  for (const path of paths) if (!(await exists(path))) missing.push(path);
  if (missing.length === 0) return;
  throw new MmragError('USAGE', `No such file or folder: ${missing.join(', ')}.`, {
    subject: missing[0],
    hint: 'Check the path, or create it first.',
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
