/**
 * Engine options: one object, defaults defined here once. A config file (`mmrag.config.json`)
 * holds the same fields; CLI flags override it.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_EXTRACT_LIMITS } from '../extract/extractor.js';
import {
  type GeneratorConfig,
  type GeneratorInput,
  generatorSchema,
  type ModelSetInput,
  modelSetSchema,
  NAMED_MODEL_SETS,
  parseGeneratorSpec,
} from './model-sets.js';

export const fusionSchema = z.object({
  /** Reciprocal rank fusion constant: larger flattens the advantage of the top ranks. */
  k: z.number().positive().default(60),
  weights: z
    .object({
      text: z.number().min(0).default(1),
      vision: z.number().min(0).default(1),
      keyword: z.number().min(0).default(1),
    })
    .default({ text: 1, vision: 1, keyword: 1 }),
});

export const limitsSchema = z.object({
  /** Files larger than this are reported and skipped. */
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .default(512 * 1024 * 1024),
  /** Text files (plain, Markdown, HTML) larger than this are reported: chunking them is slow. */
  maxTextBytes: z
    .number()
    .int()
    .positive()
    .default(32 * 1024 * 1024),
  maxImagePixels: z.number().int().positive().default(DEFAULT_EXTRACT_LIMITS.maxImagePixels),
  maxAudioSeconds: z.number().positive().default(DEFAULT_EXTRACT_LIMITS.maxAudioSeconds),
  maxPdfPages: z.number().int().positive().default(DEFAULT_EXTRACT_LIMITS.maxPdfPages),
  /** Longest time one file may take before it is reported and skipped. */
  maxSecondsPerFile: z.number().positive().default(600),
});

/** What a config file may hold. Every field is optional. */
export const configFileSchema = z
  .object({
    index: z.string(),
    models: z.union([z.enum(['full', 'lite']), modelSetSchema]),
    modelsDir: z.string(),
    offline: z.boolean(),
    k: z.number().int().positive(),
    includeHidden: z.boolean(),
    respectGitignore: z.boolean(),
    fusion: fusionSchema,
    /** The chat model of `ask`; null answers extractively. Overrides the model set's. */
    generator: generatorSchema.nullable(),
    limits: limitsSchema.partial(),
  })
  .partial()
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;
export type FusionOptions = z.infer<typeof fusionSchema>;
export type Limits = z.infer<typeof limitsSchema>;

export interface EngineOptions {
  /**
   * Folder of the index.
   * @default '.mmrag' in the current folder
   */
  indexDir?: string;
  /**
   * The model set: `full` (hub models), `lite` (no download), or one spelled out. When absent,
   * an existing index keeps the set it was built with, and a new one gets `full`.
   */
  models?: 'full' | 'lite' | ModelSetInput;
  /**
   * The set a new index gets when `models` is absent; an existing index ignores it (a config
   * file's `models` lands here, so it never conflicts with an index built otherwise).
   * @default 'full'
   */
  newIndexModels?: 'full' | 'lite' | ModelSetInput;
  /**
   * Where models live: hub downloads are cached here and local folders are looked up here.
   * @default $MMRAG_MODELS_DIR, else ~/.cache/mmrag/models
   */
  modelsDir?: string;
  /**
   * Never reach the network: every model must already be in `modelsDir`.
   * @default false
   */
  offline?: boolean;
  fusion?: Partial<FusionOptions>;
  limits?: Partial<Limits>;
  /** Open the index for searching only, without taking the writer lock. */
  readOnly?: boolean;
  /**
   * When the index was built with other models than `models` asks for, switch it to the new
   * ones and re-embed every file it holds on the next ingest, instead of refusing with
   * MODEL_MISMATCH. The old index stays whole and searchable until the new one is complete.
   * @default false
   */
  reembed?: boolean;
  /**
   * The chat model `ask` answers with: a hub id or folder, `{ remote: { baseUrl, model,
   * apiKeyEnv } }`, or null for extractive answers. Overrides the model set's entry.
   * @default $MMRAG_GENERATOR (as `--generator` takes it), else the model set's, else null
   */
  generator?: GeneratorInput | null;
  /** Download progress of model files, for progress bars. */
  onModelProgress?: (event: ModelProgressEvent) => void;
}

export interface ModelProgressEvent {
  model: string;
  file: string;
  loaded: number;
  total: number;
  status: 'download' | 'done';
}

export const DEFAULT_INDEX_DIR = '.mmrag';

export function defaultModelsDir(): string {
  return process.env.MMRAG_MODELS_DIR ?? join(homedir(), '.cache', 'mmrag', 'models');
}

export interface ResolvedOptions {
  indexDir: string;
  models: 'full' | 'lite' | ModelSetInput | undefined;
  newIndexModels: 'full' | 'lite' | ModelSetInput;
  modelsDir: string;
  offline: boolean;
  fusion: FusionOptions;
  limits: Limits;
  readOnly: boolean;
  /** undefined: use the model set's generator. */
  generator: GeneratorConfig | null | undefined;
  onModelProgress?: (event: ModelProgressEvent) => void;
}

export function resolveOptions(options: EngineOptions = {}): ResolvedOptions {
  return {
    indexDir: resolve(options.indexDir ?? DEFAULT_INDEX_DIR),
    models: options.models,
    newIndexModels: options.newIndexModels ?? 'full',
    modelsDir: resolve(options.modelsDir ?? defaultModelsDir()),
    offline: options.offline ?? false,
    fusion: fusionSchema.parse(options.fusion ?? {}),
    limits: limitsSchema.parse(options.limits ?? {}),
    readOnly: options.readOnly ?? false,
    generator: resolveGenerator(options.generator),
    onModelProgress: options.onModelProgress,
  };
}

export { NAMED_MODEL_SETS };

/** The generator from options, else from `MMRAG_GENERATOR` (+ `MMRAG_GENERATOR_MODEL`). */
function resolveGenerator(
  value: GeneratorInput | null | undefined,
): GeneratorConfig | null | undefined {
  if (value === null) return null;
  if (value !== undefined) return generatorSchema.parse(value);
  const spec = process.env.MMRAG_GENERATOR;
  return spec ? parseGeneratorSpec(spec, process.env.MMRAG_GENERATOR_MODEL) : undefined;
}
