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
