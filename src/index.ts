/**
 * mmrag: local-first multimodal retrieval over notes, web pages, PDFs, images and recordings.
 *
 * @example
 * const engine = await createEngine({ indexDir: '.mmrag', models: 'lite' });
 * await engine.ingest(['~/notes']);
 * const { results } = await engine.search('budget meeting', { k: 5 });
 * await engine.close();
 */

export type { AskOptions, AskResult, AskStream, Citation, Evidence } from './answer/index.js';
export type {
  GeneratorConfig,
  GeneratorInput,
  LocalGeneratorConfig,
  ModelSet,
  ModelSetInput,
  RemoteGeneratorConfig,
} from './config/model-sets.js';
export {
  DEFAULT_LOCAL_GENERATOR,
  DEFAULT_VISION_GENERATOR,
  NAMED_MODEL_SETS,
  parseGeneratorSpec,
  resolveModelSet,
} from './config/model-sets.js';
export type { EngineOptions, FusionOptions, Limits, ModelProgressEvent } from './config/options.js';
export type { Engine, EngineQuery, IndexStatus } from './engine.js';
export { createEngine } from './engine.js';
export type { ErrorCode } from './errors.js';
export { isUserError, MmragError } from './errors.js';
export type { IngestOptions } from './ingest/ingest-files.js';
export type {
  FileOutcome,
  FileStatus,
  IngestProgressEvent,
  IngestReport,
} from './ingest/report.js';
export type {
  ChatMessage,
  ChatPart,
  GenerateOptions,
  Generation,
  Generator,
  ImageTextEmbedder,
  TextEmbedder,
  TextRecognizer,
  Transcriber,
} from './models/roles.js';
export type { SearchOptions, SearchResponse } from './retrieve/search.js';
export type {
  BoundingBox,
  Locator,
  Modality,
  RgbImage,
  SearchResult,
  SegmentKind,
  SpaceName,
} from './types.js';
