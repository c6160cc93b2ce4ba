/**
 * Which model plays which role. A model set is named (`full`, `lite`) or spelled out in a
 * config file. The defaults are real hub ids, chosen from their published figures (README,
 * "Models"); `lite` needs no download at all and says what it cannot do.
 */
import { z } from 'zod';
import { GLOVE_MODEL_ID } from '../models/lite/glove-model.js';

export const textModelSchema = z.object({
  /** A hub id or an absolute folder in hub layout. */
  id: z.string().min(1),
  pooling: z.enum(['mean', 'cls']).default('mean'),
  /** Put before a query (some retrieval models are trained with an instruction). */
  queryPrefix: z.string().default(''),
  dtype: z.enum(['fp32', 'q8']).default('fp32'),
  /** Longest input in tokens; pieces are cut to fit it. */
  maxTokens: z.number().int().positive().optional(),
  /**
   * Dense hits below this cosine similarity are not listed, so a query with no good match does
   * not push unrelated passages into the fused ranking. Depends on the model's score range.
   */
  minSimilarity: z.number().min(-1).max(1).default(0),
});

export const visionModelSchema = z.object({
  id: z.string().min(1),
  dtype: z.enum(['fp32', 'q8']).default('fp32'),
  /** Text-to-image hits below this cosine similarity are not listed (see the text model's). */
  minSimilarity: z.number().min(-1).max(1).default(0),
});

export const speechModelSchema = z.object({
  id: z.string().min(1),
  dtype: z.enum(['fp32', 'q8']).default('fp32'),
});

export const ocrModelSchema = z.object({
  /** Tesseract languages, e.g. `['eng']`. Only languages whose data is installed work offline. */
  languages: z.array(z.string()).default(['eng']),
});

/** A chat model run in-process through Transformers.js. */
export const localGeneratorSchema = z.object({
  /** A hub id or an absolute folder in hub layout with a chat template. */
  id: z.string().min(1),
  /** Which weights: `q4` is `onnx/model_q4.onnx`, `q8` is `onnx/model_quantized.onnx`. */
  dtype: z.enum(['fp32', 'fp16', 'q8', 'q4', 'q4f16']).default('q4'),
  /** A vision-language model (SmolVLM-style): evidence pictures go in as images. */
  vision: z.boolean().default(false),
  /** Prompt plus answer, in tokens. Default: the model's window, at most 4096 on a CPU. */
  contextTokens: z.number().int().positive().optional(),
});

/** Any OpenAI-compatible chat-completions server: llama.cpp, Ollama, vLLM, TGI, hosted. */
export const remoteGeneratorSchema = z.object({
  /** Up to and including `/v1`, e.g. `http://127.0.0.1:8080/v1`. */
  baseUrl: z.string().url(),
  /** The model name the server expects (llama.cpp takes any). */
  model: z.string().min(1).default('default'),
  /** The environment variable holding the API key; none is sent when it is unset. */
  apiKeyEnv: z.string().default('MMRAG_API_KEY'),
  /** The server's context window in tokens (Ollama's default num_ctx may be smaller). */
  contextTokens: z.number().int().positive().default(4096),
  /** Send evidence pictures as `image_url` parts (for a server with a vision model). */
  images: z.boolean().default(false),
  /** How long to wait for the first byte, and between streamed chunks. */
  timeoutMs: z.number().int().positive().default(120_000),
  /** Retries on 429, 5xx and dropped connections, with backoff. */
  maxRetries: z.number().int().min(0).max(10).default(3),
});

const remoteEntrySchema = z.object({ remote: remoteGeneratorSchema });

export type LocalGeneratorConfig = z.infer<typeof localGeneratorSchema>;
export type RemoteGeneratorConfig = z.infer<typeof remoteGeneratorSchema>;
export type GeneratorConfig = LocalGeneratorConfig | { remote: RemoteGeneratorConfig };

/**
 * A string (`local`, `local-vision`, a server's base URL, a hub id or folder), a local model
 * spelled out, or `{ remote: {...} }`.
 */
export const generatorSchema = z.union([
  z
    .string()
    .min(1)
    .transform((spec): GeneratorConfig => generatorFromString(spec)),
  localGeneratorSchema,
  remoteEntrySchema,
]);

export type GeneratorInput = z.input<typeof generatorSchema>;

/**
 * The default local chat model (`--generator local`): Qwen2.5-0.5B-Instruct, Apache-2.0, 0.49 B
 * parameters, 32k context; README "Asking questions" has the figures behind the choice.
 */
export const DEFAULT_LOCAL_GENERATOR = 'onnx-community/Qwen2.5-0.5B-Instruct';
/** The vision-language option (`--generator local-vision`): SmolVLM-256M-Instruct, Apache-2.0. */
export const DEFAULT_VISION_GENERATOR = 'HuggingFaceTB/SmolVLM-256M-Instruct';

/**
 * What `--generator` and `MMRAG_GENERATOR` take: `extractive` (or `none`), `local`,
 * `local-vision`, an `http(s)://` base URL of an OpenAI-compatible server, or a hub id or folder.
 * Returns null for extractive.
 */
export function parseGeneratorSpec(spec: string, remoteModel?: string): GeneratorConfig | null {
  const value = spec.trim();
  if (['extractive', 'none', 'off'].includes(value)) return null;
  return generatorFromString(value, remoteModel);
}

function generatorFromString(value: string, remoteModel?: string): GeneratorConfig {
  if (value === 'local') return localGeneratorSchema.parse({ id: DEFAULT_LOCAL_GENERATOR });
  if (value === 'local-vision') {
    // SmolVLM's q4 vision encoder is not published for every release; fp32 is 1 GB at most.
    return localGeneratorSchema.parse({
      id: DEFAULT_VISION_GENERATOR,
      vision: true,
      dtype: 'fp32',
    });
  }
  if (/^https?:\/\//i.test(value)) {
    return remoteEntrySchema.parse({ remote: { baseUrl: value, model: remoteModel || undefined } });
  }
  return localGeneratorSchema.parse({ id: value });
}

export const modelSetSchema = z.object({
  name: z.string().default('custom'),
  text: textModelSchema,
  /** The joint image-text model of the vision space; null leaves images to OCR alone. */
  vision: visionModelSchema.nullable(),
  /** Whisper-style speech recognition; null skips recordings. */
  speech: speechModelSchema.nullable(),
  /** null switches OCR off. */
  ocr: ocrModelSchema.nullable(),
  /**
   * The chat model `ask` answers with; null or absent answers extractively (no model). Not part
   * of what an index was built with: it may change at any time.
   */
  generator: generatorSchema.nullable().optional(),
});

export type TextModelConfig = z.infer<typeof textModelSchema>;
export type VisionModelConfig = z.infer<typeof visionModelSchema>;
export type SpeechModelConfig = z.infer<typeof speechModelSchema>;
export type ModelSet = z.infer<typeof modelSetSchema>;
export type ModelSetInput = z.input<typeof modelSetSchema>;

/** The id under which the lite text embedder is built into the models folder. */
export { GLOVE_MODEL_ID };

const FULL: ModelSetInput = {
  name: 'full',
  text: {
    id: 'Xenova/bge-small-en-v1.5',
    pooling: 'cls',
    queryPrefix: 'Represent this sentence for searching relevant passages: ',
    maxTokens: 512,
    // BGE similarities crowd the upper range; unrelated pairs rarely fall below 0.3 (its card).
    minSimilarity: 0.3,
  },
  // CLIP ViT-B/32 scores matching text-image pairs near 0.3 and unrelated ones near 0.1-0.2.
  vision: { id: 'Xenova/clip-vit-base-patch32', minSimilarity: 0.2 },
  speech: { id: 'Xenova/whisper-base.en' },
  ocr: { languages: ['eng'] },
};

const LITE: ModelSetInput = {
  name: 'lite',
  // Measured on the tests' files: unrelated texts score below 0.15, related ones above 0.35.
  text: { id: GLOVE_MODEL_ID, pooling: 'mean', maxTokens: 256, minSimilarity: 0.2 },
  vision: null,
  speech: null,
  ocr: { languages: ['eng'] },
};

export const NAMED_MODEL_SETS = { full: FULL, lite: LITE } as const;
export type ModelSetName = keyof typeof NAMED_MODEL_SETS;

/** Resolves a name or a spelled-out set to a validated model set. */
export function resolveModelSet(value: ModelSetName | ModelSetInput): ModelSet {
  const input = typeof value === 'string' ? NAMED_MODEL_SETS[value] : value;
  return modelSetSchema.parse(input);
}

/**
 * How much each list of a model set counts in fusion, as a factor on `fusion.weights`. The lite
 * set's GloVe average knows words, not meaning in context: its dense text list ranks related
 * passages well but is a weak judge between them, so it counts half as much as keyword. Keyed by
 * the text model, so custom sets and indexes built before this existed get it too.
 */
export function scaleFusionWeights<W extends Record<'text' | 'vision' | 'keyword', number>>(
  weights: W,
  set: ModelSet,
): W {
  const text = set.text.id === GLOVE_MODEL_ID ? 0.5 : 1;
  return { ...weights, text: weights.text * text };
}

/** What a model set cannot do, for the CLI to say plainly. */
export function modelSetLimits(set: ModelSet): string[] {
  const limits: string[] = [];
  if (!set.vision) {
    limits.push('no image-text model: images and PDF pages are found by their OCR text only');
  }
  if (!set.speech) limits.push('no speech model: recordings are skipped');
  if (!set.ocr) limits.push('OCR is off: words inside images and scans are not indexed');
  return limits;
}
