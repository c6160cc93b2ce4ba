/**
 * Turns a model set into role implementations, loading each model the first time it is needed:
 * a search that needs only the text embedder never loads Whisper.
 */
import type { GeneratorConfig, ModelSet } from '../config/model-sets.js';
import { GLOVE_MODEL_ID } from '../config/model-sets.js';
import type { ModelProgressEvent } from '../config/options.js';
import { ensureGloveModel } from './lite/glove-model.js';
import { createOpenAiChatGenerator } from './remote/openai-chat-generator.js';
import type {
  Generator,
  ImageTextEmbedder,
  TextEmbedder,
  TextRecognizer,
  Transcriber,
} from './roles.js';
import { createTesseractRecognizer } from './tesseract/text-recognizer.js';
import { createTransformersGenerator } from './transformers/generator.js';
import { createTransformersImageTextEmbedder } from './transformers/image-text-embedder.js';
import { configureTransformers } from './transformers/runtime.js';
import { createTransformersTextEmbedder } from './transformers/text-embedder.js';
import { createTransformersTranscriber } from './transformers/transcriber.js';

export interface ModelProviderOptions {
  set: ModelSet;
  modelsDir: string;
  offline: boolean;
  onProgress?: (event: ModelProgressEvent) => void;
  /** The chat model of `ask`; overrides the set's. undefined: the set's; null: none. */
  generator?: GeneratorConfig | null;
}

export interface ModelProvider {
  readonly set: ModelSet;
  textEmbedder(): Promise<TextEmbedder>;
  /** Undefined when the set has no image-text model. */
  imageTextEmbedder(): Promise<ImageTextEmbedder | undefined>;
  transcriber(): Promise<Transcriber | undefined>;
  recognizer(): Promise<TextRecognizer | undefined>;
  /** The chat model of `ask`, loaded on first use; undefined answers extractively. */
  generator(): Promise<Generator | undefined>;
  /** The generator's configuration, without loading it. */
  readonly generatorConfig: GeneratorConfig | null;
  /** Loads every model of the set, downloading what is missing (unless offline). */
  loadAll(): Promise<void>;
  dispose(): Promise<void>;
}

export function createModelProvider(options: ModelProviderOptions): ModelProvider {
  const { set, modelsDir, offline, onProgress } = options;
  configureTransformers({ modelsDir, offline, onProgress });

  const loaded: { dispose(): Promise<void> }[] = [];
  const once = <T extends { dispose(): Promise<void> }>(load: () => Promise<T>) => {
    let promise: Promise<T> | undefined;
    return () => {
      promise ??= load().then((model) => {
        loaded.push(model);
        return model;
      });
      // A failed load may be retried (after `models pull`, say), so it is not cached.
      promise.catch(() => {
        promise = undefined;
      });
      return promise;
    };
  };

  const textEmbedder = once(async () => {
    // The lite embedder is built from an npm package on first use, in seconds, with no download.
    if (set.text.id === GLOVE_MODEL_ID) await ensureGloveModel({ modelsDir });
    return createTransformersTextEmbedder({
      model: set.text.id,
      pooling: set.text.pooling,
      queryPrefix: set.text.queryPrefix,
      dtype: set.text.dtype,
      maxTokens: set.text.maxTokens,
    });
  });

  const vision = set.vision;
  const imageTextEmbedder = vision
    ? once(() => createTransformersImageTextEmbedder({ model: vision.id, dtype: vision.dtype }))
    : async () => undefined;

  const speech = set.speech;
  const transcriber = speech
    ? once(() => createTransformersTranscriber({ model: speech.id, dtype: speech.dtype }))
    : async () => undefined;

  const ocr = set.ocr;
  const recognizer = ocr
    ? once(async () => createTesseractRecognizer({ languages: ocr.languages }))
    : async () => undefined;

  // A remote generator is a client, not a download: nothing loads until the first answer.
  const generatorConfig =
    options.generator !== undefined ? options.generator : (set.generator ?? null);
  const generator = generatorConfig
    ? once(async (): Promise<Generator> => {
        if ('remote' in generatorConfig) {
          const { remote } = generatorConfig;
          return createOpenAiChatGenerator({ ...remote, apiKey: process.env[remote.apiKeyEnv] });
        }
        return createTransformersGenerator({
          model: generatorConfig.id,
          dtype: generatorConfig.dtype,
          vision: generatorConfig.vision,
          contextTokens: generatorConfig.contextTokens,
        });
      })
    : async () => undefined;

  return {
    set,
    generator,
    generatorConfig,
    textEmbedder,
    imageTextEmbedder,
    transcriber,
    recognizer,
    async loadAll() {
      await textEmbedder();
      await imageTextEmbedder();
      await transcriber();
      await recognizer();
    },
    async dispose() {
      await Promise.all(loaded.splice(0).map((model) => model.dispose()));
    },
  };
}
