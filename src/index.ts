/**
 * mmrag: local-first multimodal retrieval over notes, web pages, PDFs, images and recordings.
 *
 * @example
 * const engine = await createEngine({ indexDir: '.mmrag', models: 'lite' });
 * await engine.ingest(['~/notes']);
 * const { results } = await engine.search('budget meeting', { k: 5 });
 * await engine.close();
 */
export { createEngine } from './engine.js';
export type { Engine, EngineQuery, IndexStatus } from './engine.js';
export type { EngineOptions, ModelProgressEvent, FusionOptions, Limits } from './config/options.js';
export { resolveModelSet, NAMED_MODEL_SETS } from './config/model-sets.js';
export type { ModelSet, ModelSetInput } from './config/model-sets.js';
export type { IngestOptions } from './ingest/ingest-files.js';
export type { FileOutcome, FileStatus, IngestReport, IngestProgressEvent } from './ingest/report.js';
export type { SearchOptions, SearchResponse } from './retrieve/search.js';
export { MmragError, isUserError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type {
  BoundingBox,
  Locator,
  Modality,
  RgbImage,
  SearchResult,
  SegmentKind,
  SpaceName,
} from './types.js';
export type {
  ImageTextEmbedder,
  TextEmbedder,
  TextRecognizer,
  Transcriber,
} from './models/roles.js';
