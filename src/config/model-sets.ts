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

export const modelSetSchema = z.object({
  name: z.string().default('custom'),
  text: textModelSchema,
  /** The joint image-text model of the vision space; null leaves images to OCR alone. */
  vision: visionModelSchema.nullable(),
  /** Whisper-style speech recognition; null skips recordings. */
  speech: speechModelSchema.nullable(),
  /** null switches OCR off. */
  ocr: ocrModelSchema.nullable(),
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
