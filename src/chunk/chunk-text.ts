/**
 * Splits text segments to fit the text embedder's window. Sentences are packed greedily; a
 * sentence that alone is too long is cut at word bounds, and a run with no spaces at all is cut
 * by characters. Work stays linear in the text: counts are requested in batches, long spans are
 * cut by an estimated characters-per-token ratio, and only the pieces still over are cut again.
 */
import { MmragError } from '../errors.js';
import type { ExtractedSegment } from '../types.js';

export interface ChunkOptions {
  /** The most tokens one piece may have, as `countTokens` counts them. */
  maxTokens: number;
  /**
   * Counts the tokens of each text, in order. Called with batches, never per character; count
   * the way the embedder will (with its special tokens, if it adds them).
   */
  countTokens: (texts: string[]) => Promise<number[]>;
  /** Sentences of the previous piece repeated at the start of the next. @default 0 */
  overlapSentences?: number;
  /**
   * The most characters one piece may have, whatever its token count. A word-level tokenizer
   * counts a 10 MB run without spaces as one token; this keeps such a run from becoming one
   * 10 MB piece. @default Infinity
   */
  maxChars?: number;
}

/** A piece by offsets into the segment text, with its known or estimated token count. */
interface Piece {
  start: number;
  end: number;
  tokens: number;
  /** True when `tokens` is a sum or a guess, not a count of this very text. */
  estimated?: boolean;
  /** The sentence spans inside, when the piece is a pack of several. */
  sentences?: Piece[];
}

/** Texts per `countTokens` call, and characters per call, to keep each batch modest. */
const BATCH_TEXTS = 256;
const BATCH_CHARS = 1 << 20;

/** Characters the sentence segmenter reads at a time (see `sentenceSpans`). */
const SENTENCE_WINDOW = 2048;

/** A cut by estimate aims this far below the window, so most pieces fit on the first try. */
const ESTIMATE_MARGIN = 0.9;

/** Splits every text segment longer than `maxTokens`; other segments pass through unchanged. */
export async function chunkText(
  segments: ExtractedSegment[],
  options: ChunkOptions,
): Promise<ExtractedSegment[]> {
  const { maxTokens, countTokens } = options;
  const overlapSentences = options.overlapSentences ?? 0;
  const maxChars = options.maxChars ?? Number.POSITIVE_INFINITY;
  if (!(Number.isInteger(maxTokens) && maxTokens > 0)) {
    throw new MmragError('CONFIG', `maxTokens must be a positive integer, got ${maxTokens}.`, {
      subject: String(maxTokens),
      hint: "Set it to the text embedder's window (max_position_embeddings).",
    });
  }

  const counter = new BatchCounter(countTokens);

  // What the tokenizer adds to every text (special tokens) is counted once per piece, not per
  // sentence, when sentence counts are summed.
  const [overhead = 0] = await counter.count(['']);
  if (overhead >= maxTokens) {
    throw new MmragError('CONFIG', `maxTokens ${maxTokens} leaves no room for text.`, {
      subject: String(maxTokens),
      hint: `The tokenizer adds ${overhead} tokens to every text; use a larger window.`,
    });
  }

  const isText = (segment: ExtractedSegment) =>
    segment.kind !== 'image' && segment.text !== undefined;
  const texts = segments.filter(isText).map((segment) => segment.text!);

  // A text over maxChars is split whatever its count, so it is not counted whole: on a
  // many-megabyte text that count is the slowest step of all.
  const short = texts.filter((text) => text.length <= maxChars);
  const shortCounts = await counter.count(short);
  let nextShort = 0;
  const totals = texts.map((text) =>
    text.length <= maxChars ? shortCounts[nextShort++]! : Number.POSITIVE_INFINITY,
  );

  const out: ExtractedSegment[] = [];
  let next = 0;
  for (const segment of segments) {
    if (!isText(segment)) {
      out.push(segment);
      continue;
    }

    const text = segment.text!;
    const tokens = totals[next++]!;
    const whole = trim(text, { start: 0, end: text.length, tokens });
    if (!whole) continue;

    const fits = tokens <= maxTokens && whole.end - whole.start <= maxChars;
    if (fits && whole.start === 0 && whole.end === text.length) {
      out.push(segment);
      continue;
    }

    const pieces = fits
      ? [whole]
      : await splitToFit(text, whole, { maxTokens, maxChars, overhead, overlapSentences, counter });
    for (const piece of pieces) out.push(pieceSegment(segment, text, piece));
  }
  return out;
}

interface SplitContext {
  maxTokens: number;
  maxChars: number;
  overhead: number;
  overlapSentences: number;
  counter: BatchCounter;
}

async function splitToFit(text: string, span: Piece, context: SplitContext): Promise<Piece[]> {
  const { maxTokens, maxChars, overhead, counter } = context;
  const tooLong = (piece: Piece) => piece.tokens > maxTokens || piece.end - piece.start > maxChars;

  // Sentences, counted in batches; the sum of their counts estimates a pack's count. A span that
  // is one sentence (a run with no sentence end) already has its count.
  const sentences = sentenceSpans(text, span);
  const single =
    sentences.length === 1 && sentences[0]!.end - sentences[0]!.start === span.end - span.start;
  if (single && Number.isFinite(span.tokens)) sentences[0]!.tokens = span.tokens;
  else {
    const counts = await counter.count(sentences.map((s) => text.slice(s.start, s.end)));
    sentences.forEach((sentence, i) => {
      sentence.tokens = counts[i]!;
    });
  }

  let pieces = packSentences(sentences, context);

  // Every estimate is checked with one real count; only what is still over is cut again.
  for (;;) {
    const over = pieces.filter((piece) => !piece.estimated && tooLong(piece));
    const estimated = pieces.filter((piece) => piece.estimated);
    if (over.length === 0 && estimated.length === 0) break;

    const counts = await counter.count(estimated.map((p) => text.slice(p.start, p.end)));
    estimated.forEach((piece, i) => {
      piece.tokens = counts[i]!;
      piece.estimated = false;
    });

    const nextPieces: Piece[] = [];
    for (const piece of pieces) {
      if (!tooLong(piece))
        nextPieces.push({ start: piece.start, end: piece.end, tokens: piece.tokens });
      else if (piece.sentences && piece.sentences.length > 1) {
        nextPieces.push(...halveSentences(piece.sentences, overhead));
      } else nextPieces.push(...cutByEstimate(text, piece, maxTokens, maxChars));
    }
    pieces = nextPieces;
  }

  return pieces;
}

/** Greedy packing by summed sentence counts; a sentence over the window stands alone. */
function packSentences(sentences: Piece[], context: SplitContext): Piece[] {
  const { maxTokens, maxChars, overhead, overlapSentences } = context;
  const pieces: Piece[] = [];
  let current: Piece[] = [];
  let tokens = overhead;

  const close = () => {
    if (current.length === 0) return;
    pieces.push(packOf(current, tokens));
    current = [];
    tokens = overhead;
  };

  for (const sentence of sentences) {
    const own = sentence.tokens - overhead;
    if (sentence.tokens > maxTokens || sentence.end - sentence.start > maxChars) {
      close();
      pieces.push({ ...sentence });
      continue;
    }
    const wide = current.length > 0 && sentence.end - current[0]!.start > maxChars;
    if (current.length > 0 && (tokens + own > maxTokens || wide)) {
      const carried = overlapSentences > 0 ? current.slice(-overlapSentences) : [];
      close();

      // Overlap only where it fits beside the next sentence; it is context, not content.
      for (const previous of carried) {
        if (tokens + (previous.tokens - overhead) + own > maxTokens) break;
        if (sentence.end - previous.start > maxChars) break;
        current.push(previous);
        tokens += previous.tokens - overhead;
      }
    }
    current.push(sentence);
    tokens += own;
  }
  close();
  return pieces;
}

function packOf(sentences: Piece[], tokens: number): Piece {
  const first = sentences[0]!;
  const last = sentences.at(-1)!;
  if (sentences.length === 1) return { ...first };
  return { start: first.start, end: last.end, tokens, estimated: true, sentences };
}

/** Splits a pack that turned out over the window into two packs of about half the tokens. */
function halveSentences(sentences: Piece[], overhead: number): Piece[] {
  const total = sentences.reduce((sum, s) => sum + s.tokens - overhead, 0);
  let sum = 0;
  let cut = 1;
  for (; cut < sentences.length - 1; cut++) {
    sum += sentences[cut - 1]!.tokens - overhead;
    if (sum >= total / 2) break;
  }
  const halves = [sentences.slice(0, cut), sentences.slice(cut)];
  return halves.map((half) => {
    return packOf(
      half,
      half.reduce((sum, p) => sum + p.tokens - overhead, overhead),
    );
  });
}

/**
 * Cuts a span into pieces of an estimated size, at the last white space before each cut (or
 * exactly there when a long stretch has none), from its measured characters-per-token ratio.
 */
function cutByEstimate(text: string, piece: Piece, maxTokens: number, maxChars: number): Piece[] {
  const length = piece.end - piece.start;
  const ratio = length / Math.max(piece.tokens, 1);
  const byTokens = Number.isFinite(piece.tokens)
    ? Math.floor(maxTokens * ratio * ESTIMATE_MARGIN)
    : Number.POSITIVE_INFINITY;
  const target = Math.max(1, Math.min(length - 1, byTokens, maxChars));
  if (length <= 1) return []; // A single character over the window can never fit.

  const pieces: Piece[] = [];
  let start = piece.start;
  while (start < piece.end) {
    let end = Math.min(piece.end, start + target);
    if (end < piece.end) end = cutPoint(text, start, end);
    const trimmed = trim(text, { start, end, tokens: 0, estimated: true });
    if (trimmed) pieces.push(trimmed);
    start = end;
  }
  return pieces;
}

/** The best place to cut before `end`: after white space in the second half, else at `end`. */
function cutPoint(text: string, start: number, end: number): number {
  const floor = start + Math.floor((end - start) / 2);
  for (let i = end; i > floor; i--) {
    if (isSpace(text.charCodeAt(i - 1))) return i;
  }

  // No white space: cut by characters, but never between the halves of a surrogate pair.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff && end - 1 > start) return end - 1;
  return end;
}

/**
 * Sentence spans inside `span`, trimmed, empty ones dropped. V8's segmenter pays for the whole
 * string at every step (a 1 MB text takes minutes), so it reads windows of SENTENCE_WINDOW
 * characters; the last sentence of a window may be cut short, so the next window starts there.
 * A sentence that fills a whole window is ended at its last white space: it is far over any
 * window the packer fills anyway, and gets cut at word bounds later.
 */
function sentenceSpans(text: string, span: Piece): Piece[] {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });
  const spans: Piece[] = [];
  const push = (start: number, end: number) => {
    const trimmed = trim(text, { start, end, tokens: 0 });
    if (trimmed) spans.push(trimmed);
  };

  let position = span.start;
  while (position < span.end) {
    const windowEnd = Math.min(span.end, position + SENTENCE_WINDOW);
    const bounds: number[] = [];
    for (const { index } of segmenter.segment(text.slice(position, windowEnd))) {
      if (index > 0) bounds.push(position + index);
    }

    if (windowEnd === span.end) {
      for (const bound of bounds) {
        push(position, bound);
        position = bound;
      }
      push(position, windowEnd);
      break;
    }

    if (bounds.length === 0) {
      const cut = cutPoint(text, position, windowEnd);
      push(position, cut);
      position = cut;
      continue;
    }
    for (const bound of bounds) {
      push(position, bound);
      position = bound;
    }
  }
  return spans;
}

function trim(text: string, piece: Piece): Piece | undefined {
  let { start, end } = piece;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return start < end ? { ...piece, start, end } : undefined;
}

/** White space as `\s` knows it, without a regular expression per character. */
function isSpace(code: number): boolean {
  if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) return true;
  if (code < 0xa0) return false;
  return /\s/.test(String.fromCharCode(code));
}

function pieceSegment(segment: ExtractedSegment, text: string, piece: Piece): ExtractedSegment {
  const { locator } = segment;
  const base = locator.charStart;
  return {
    ...segment,
    text: text.slice(piece.start, piece.end),
    locator: {
      ...locator,
      // Offsets only where the segment has them: an OCR box or a transcript window keeps its
      // own locator, and a piece of it is placed by that.
      ...(base === undefined ? {} : { charStart: base + piece.start, charEnd: base + piece.end }),
      ...(locator.headingPath ? { headingPath: [...locator.headingPath] } : {}),
    },
  };
}

/** Calls `countTokens` in batches bounded by count and by characters. */
class BatchCounter {
  constructor(private readonly countTokens: (texts: string[]) => Promise<number[]>) {}

  async count(texts: string[]): Promise<number[]> {
    const counts: number[] = [];
    let batch: string[] = [];
    let chars = 0;
    const run = async () => {
      if (batch.length === 0) return;
      const result = await this.countTokens(batch);
      if (result.length !== batch.length) {
        throw new MmragError('MODEL_FAILED', 'countTokens returned the wrong number of counts.', {
          hint: `Expected ${batch.length}, got ${result.length}.`,
        });
      }
      counts.push(...result);
      batch = [];
      chars = 0;
      // Tokenising is synchronous work; a turn of the event loop between batches lets a long
      // text be interrupted (Ctrl-C) and lets timers and I/O run.
      await new Promise(setImmediate);
    };
    for (const text of texts) {
      if (batch.length >= BATCH_TEXTS || (batch.length > 0 && chars + text.length > BATCH_CHARS)) {
        await run();
      }
      batch.push(text);
      chars += text.length;
    }
    await run();
    return counts;
  }
}
