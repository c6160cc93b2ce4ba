/**
 * Turns one OCR result into paragraph-sized text pieces with their boxes, keeping the lines
 * that read like print. Shared, through `readPictureText`, by the image extractor, the PDF
 * extractor's scanned pages and query pictures, so that what is indexed and what is searched
 * for are read by one rule.
 */
import type { Recognition, RecognizedText } from '../../models/roles.js';
import type { BoundingBox } from '../../types.js';
import { judgeLine, junkToken } from './plausible-text.js';

export interface OcrPiecesOptions {
  /**
   * Lines at or above this confidence (0 to 100) are kept whatever their words look like.
   * Tesseract gives clean proportional print 90 and more.
   * @default 75
   */
  sureLineConfidence?: number;
  /**
   * Below `sureLineConfidence`, a line is kept when enough of its characters are in tokens that
   * look like words, names or numbers: this share at confidence 0, falling to
   * `minWordiness - 0.35` just below `sureLineConfidence`. Monospace code and small web fonts
   * are read right at confidences as low as 0 to 40, so their shape weighs most.
   * @default 0.85
   */
  minWordiness?: number;
  /** Nor more than this share of its tokens is junk (a lone `§`, `H`, `=`). @default 0.25 */
  maxJunk?: number;
  /** Lines below this confidence are dropped whatever they look like. @default 10 */
  minLineConfidence?: number;
  /** A line with fewer letters or digits than this is dropped. @default 2 */
  minLineChars?: number;
  /**
   * A line starts a new paragraph when the gap above it is more than this many line heights.
   * @default 0.9
   */
  paragraphGap?: number;
}

export interface OcrPiece {
  text: string;
  bbox: BoundingBox;
}

interface KeptLine {
  text: string;
  bbox: BoundingBox;
}

function centre(box: BoundingBox): [number, number] {
  return [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
}

/**
 * Each word goes to one line: among the lines whose box holds its centre, the one whose middle
 * is nearest. Boxes of slanted lines overlap, and a word counted in two lines would let a line
 * of noise borrow a neighbour's words.
 */
function wordsByLine(recognition: Recognition): RecognizedText[][] {
  const byLine = recognition.lines.map((): RecognizedText[] => []);
  for (const word of recognition.words) {
    const [x, y] = centre(word.bbox);
    let best = -1;
    let distance = Number.POSITIVE_INFINITY;
    recognition.lines.forEach((line, i) => {
      const [x0, y0, x1, y1] = line.bbox;
      if (x < x0 || x > x1 || y < y0 || y > y1) return;
      const away = Math.abs(centre(line.bbox)[1] - y);
      if (away < distance) [best, distance] = [i, away];
    });
    if (best >= 0) byLine[best]!.push(word);
  }
  return byLine;
}

function union(a: BoundingBox, b: BoundingBox): BoundingBox {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

type LineRule = Required<Omit<OcrPiecesOptions, 'paragraphGap'>>;

/** Whether a line, as a whole, is print rather than texture. */
function keepLine(line: RecognizedText, tokens: string[], rule: LineRule): boolean {
  const chars = tokens.join('').match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  if (chars < rule.minLineChars || line.confidence < rule.minLineConfidence) return false;
  if (line.confidence >= rule.sureLineConfidence) return true;
  const { wordiness, junk } = judgeLine(tokens);
  const needed = rule.minWordiness - (0.35 * line.confidence) / rule.sureLineConfidence;
  return wordiness >= needed && junk <= rule.maxJunk;
}

/**
 * The words of a kept line, less what carries nothing: bullets read as `=`, `¥` or `e` at the
 * start, and unsure lone marks elsewhere.
 */
function cleanWords(words: RecognizedText[]): RecognizedText[] {
  let start = 0;
  while (start < words.length - 1 && junkToken(words[start]!.text)) start++;
  return words.slice(start).filter((word) => !(junkToken(word.text) && word.confidence < 50));
}

function keepLines(recognition: Recognition, rule: LineRule): KeptLine[] {
  const kept: KeptLine[] = [];
  const byLine = wordsByLine(recognition);
  for (const [i, line] of recognition.lines.entries()) {
    const words = byLine[i]!;
    if (words.length === 0) continue;
    if (
      !keepLine(
        line,
        words.map((word) => word.text),
        rule,
      )
    )
      continue;

    const clean = cleanWords(words);
    const text = clean.map((word) => word.text).join(' ');
    if ((text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < rule.minLineChars) continue;
    kept.push({ text, bbox: clean.map((word) => word.bbox).reduce(union) });
  }
  return kept;
}

/** Paragraph-sized pieces of OCR text that reads like print, top to bottom, each with the union of its lines. */
export function ocrPieces(recognition: Recognition, options: OcrPiecesOptions = {}): OcrPiece[] {
  const {
    sureLineConfidence = 75,
    minWordiness = 0.85,
    maxJunk = 0.25,
    minLineConfidence = 10,
    minLineChars = 2,
    paragraphGap = 0.9,
  } = options;
  const rule = { sureLineConfidence, minWordiness, maxJunk, minLineConfidence, minLineChars };
  const lines = keepLines(recognition, rule);

  const pieces: OcrPiece[] = [];
  let current: OcrPiece | undefined;
  let previous: KeptLine | undefined;
  for (const line of lines) {
    const height = line.bbox[3] - line.bbox[1];
    const gap = previous ? line.bbox[1] - previous.bbox[3] : 0;
    const overlapsAcross = previous
      ? line.bbox[0] < previous.bbox[2] && previous.bbox[0] < line.bbox[2]
      : false;
    if (current && previous && overlapsAcross && gap >= -height && gap <= paragraphGap * height) {
      current.text += `\n${line.text}`;
      current.bbox = union(current.bbox, line.bbox);
    } else {
      current = { text: line.text, bbox: line.bbox };
      pieces.push(current);
    }
    previous = line;
  }
  return pieces;
}
