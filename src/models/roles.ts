/**
 * One interface per model role. Stages depend on these, never on a runtime; the engine injects
 * local (Transformers.js, tesseract.js) or remote implementations.
 */
import type { BoundingBox, RgbImage } from '../types.js';

/** Options every model call accepts. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Shared identity of a loaded model. */
export interface ModelInfo {
  /** The model id as configured: a hub id or a local folder. */
  readonly id: string;
}

/** Embeds text into the text space. */
export interface TextEmbedder extends ModelInfo {
  readonly dimension: number;
  /** The most tokens one input may have; longer inputs must be split before `embed`. */
  readonly maxTokens: number;
  /** Token counts with the model's own tokenizer, special tokens included. */
  countTokens(texts: string[]): Promise<number[]>;
  /** Unit-length vectors, one per input, in input order. */
  embed(texts: string[], options?: CallOptions): Promise<Float32Array[]>;
  /** Embeds a search query (some models prefix queries differently from passages). */
  embedQuery(text: string, options?: CallOptions): Promise<Float32Array>;
  /**
   * For each text, whether the model knows at least one of its tokens. A text it knows none of
   * still gets a vector, so it can be stored and found by keyword, but every such text gets the
   * same placeholder: dense matches on it mean nothing. Absent: every text counts as known.
   */
  informative?(texts: string[]): Promise<boolean[]>;
  dispose(): Promise<void>;
}

/** A joint image-text model: images and queries land in one vision space. */
export interface ImageTextEmbedder extends ModelInfo {
  readonly dimension: number;
  embedImages(images: RgbImage[], options?: CallOptions): Promise<Float32Array[]>;
  embedTexts(texts: string[], options?: CallOptions): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/** A recognised word or line, with its box as fractions of the image. */
export interface RecognizedText {
  text: string;
  bbox: BoundingBox;
  /** 0 to 100. */
  confidence: number;
}

export interface Recognition {
  text: string;
  /** Mean word confidence, 0 to 100. */
  confidence: number;
  lines: RecognizedText[];
  words: RecognizedText[];
}

/** OCR. */
export interface TextRecognizer extends ModelInfo {
  /** `image` is an encoded picture (PNG, JPEG...) or decoded pixels. */
  recognize(image: Uint8Array | RgbImage, options?: CallOptions): Promise<Recognition>;
  dispose(): Promise<void>;
}

/** Speech to text over one window of audio. */
export interface Transcriber extends ModelInfo {
  /** The longest window the model takes, in seconds. */
  readonly maxWindowSeconds: number;
  /** `audio` is 16 kHz mono PCM in [-1, 1]. */
  transcribe(audio: Float32Array, options?: CallOptions): Promise<{ text: string }>;
  dispose(): Promise<void>;
}

/** One part of a chat message: text, or an encoded picture for a model that reads images. */
export type ChatPart =
  | { type: 'text'; text: string }
  | { type: 'image'; image: Uint8Array; mimeType: string };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | ChatPart[];
}

export interface GenerateOptions extends CallOptions {
  /** The most tokens to write. */
  maxTokens: number;
  /** Each piece of answer text, as it is generated. */
  onText?: (delta: string) => void;
  /**
   * Ask the server for a stream of tokens (remote) or stream locally; when false, `onText`
   * gets the whole answer once. @default true
   */
  stream?: boolean;
}

export interface Generation {
  text: string;
  usage: { promptTokens: number; completionTokens: number };
  /** `stop` when the model ended its answer, `length` when it hit `maxTokens`. */
  finishReason: 'stop' | 'length';
}

/**
 * Writes an answer to a chat. Local (Transformers.js, with the model's chat template) or remote
 * (an OpenAI-compatible server). An aborted call rejects with an `ABORTED` MmragError.
 */
export interface Generator extends ModelInfo {
  /** Tokens one call may hold, prompt and answer together. */
  readonly contextTokens: number;
  /** True when image parts are read as pictures; otherwise they must not be sent. */
  readonly acceptsImages: boolean;
  /** Tokens one image part takes in the prompt (0 for a text-only model). */
  readonly imageTokens: number;
  /** Tokens of `text` with the model's tokenizer (an upper estimate for a remote model). */
  countTokens(text: string): Promise<number>;
  /** Tokens of the whole prompt the messages become, chat template included. */
  countPromptTokens(messages: ChatMessage[]): Promise<number>;
  generate(messages: ChatMessage[], options: GenerateOptions): Promise<Generation>;
  dispose(): Promise<void>;
}
