/**
 * The contract of one extractor per modality. The engine sniffs a file, picks the extractor
 * and hands it the bytes plus the models it may use; the extractor returns segments with
 * locators, or throws an MmragError (FILE_CORRUPT, FILE_ENCRYPTED, NO_SPEECH...) that the
 * engine reports for that file alone.
 */
import type { TextRecognizer, Transcriber } from '../models/roles.js';
import type { Extraction, Modality } from '../types.js';

/** What sniffing the bytes found. */
export interface SniffedType {
  modality: Modality;
  /** A MIME type such as `application/pdf`, `image/jpeg`, `text/markdown`, `audio/wav`. */
  mime: string;
}

/** The file to extract. */
export interface ExtractInput {
  path: string;
  bytes: Uint8Array;
  type: SniffedType;
}

/** Bounds that keep one hostile file from taking the machine. */
export interface ExtractLimits {
  /** Largest image, in pixels (width × height), decoded. @default 100_000_000 */
  maxImagePixels: number;
  /** Longest recording, in seconds. @default 4 * 3600 */
  maxAudioSeconds: number;
  /** Most PDF pages read. @default 2000 */
  maxPdfPages: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = {
  maxImagePixels: 100_000_000,
  maxAudioSeconds: 4 * 3600,
  maxPdfPages: 2000,
};

/** The models an extractor may call. A missing one means that part of the work is skipped. */
export interface ExtractContext {
  recognizer?: TextRecognizer;
  transcriber?: Transcriber;
  /** Whether image segments (pixels for the vision space) are wanted. */
  wantImages: boolean;
  limits: ExtractLimits;
  signal?: AbortSignal;
}

export interface Extractor {
  readonly modality: Modality;
  extract(input: ExtractInput, context: ExtractContext): Promise<Extraction>;
}
