/** What `ask` takes and gives: the public shapes of a cited answer. */
import type { SearchOptions } from '../retrieve/search.js';
import type { Locator, Modality } from '../types.js';
import type { EvidenceCandidate } from './evidence.js';

export interface AskOptions extends SearchOptions {
  /**
   * How many search results are considered as evidence; packing keeps those that fit the
   * generator's window, best first.
   * @default 8
   */
  k?: number;
  /** Yield answer text as it is generated; when false, the iterator yields it once. @default true */
  stream?: boolean;
  /**
   * The most tokens the answer may take; this much of the window is kept free of evidence.
   * @default 512, at most a quarter of the generator's window
   */
  maxAnswerTokens?: number;
}

/** One numbered piece of evidence that was given to the generator (or quoted, extractively). */
export interface Evidence extends Omit<EvidenceCandidate, 'image'> {
  /** The number the answer cites it by: `[n]`. */
  n: number;
  /** True when the picture itself was sent (a vision-language generator). */
  image: boolean;
}

/** A number the answer cites, resolved to where it points. */
export interface Citation {
  n: number;
  path: string;
  modality: Modality;
  locator: Locator;
  /** The passage quoted, or `[picture]` / `[picture of page N]` for an image. */
  quote: string;
  segmentId: string;
}

export interface AskResult {
  question: string;
  /** The answer, with citations that named no evidence removed. */
  answer: string;
  /** The cited numbers that name evidence, in order of first citation. */
  citations: Citation[];
  /** Everything that was sent, numbered. */
  evidence: Evidence[];
  /** The generator's id, or `extractive`. */
  model: string;
  /** Tokens read and written (0 for extractive answers, as the server reported for remote). */
  usage: { promptTokens: number; completionTokens: number };
  /** True when the answer cites at least one piece of evidence that was sent. */
  supported: boolean;
  /** Numbers the answer cited that named no evidence; they were removed from `answer`. */
  removedCitations: number[];
  /**
   * `generated` by a model, `extractive` (quoted passages, no generator configured), or
   * `no-evidence` (nothing relevant enough was found; the answer says it does not know).
   */
  mode: 'generated' | 'extractive' | 'no-evidence';
  /** True when the generator stopped at `maxAnswerTokens`. */
  truncated: boolean;
  timings: { retrievalMs: number; packingMs: number; generationMs: number };
}

/**
 * The answer as it is written: iterate for text deltas, await `result` for the checked answer.
 * Abort with the `signal` of the options; both then reject with an `ABORTED` MmragError.
 */
export interface AskStream extends AsyncIterable<string> {
  readonly result: Promise<AskResult>;
}
