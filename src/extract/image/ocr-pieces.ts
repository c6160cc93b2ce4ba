/**
 * Turns one OCR result into paragraph-sized text pieces with their boxes, keeping what the
 * recogniser was sure of. Shared by the image extractor and the PDF extractor's scanned pages.
 */
import type { Recognition, RecognizedText } from '../../models/roles.js';
import type { BoundingBox } from '../../types.js';

export interface OcrPiecesOptions {
  /**
   * Words below this confidence (0 to 100) are dropped. Tesseract gives clean print 90 and
   * more; the shapes it "reads" in photos of things usually score well below 50.
   * @default 50
   */
  minWordConfidence?: number;
  /** A line with fewer letters or digits than this, after dropping words, is dropped. @default 2 */
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

function centreInside(word: RecognizedText, box: BoundingBox): boolean {
  const x = (word.bbox[0] + word.bbox[2]) / 2;
  const y = (word.bbox[1] + word.bbox[3]) / 2;
  return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
}

function union(a: BoundingBox, b: BoundingBox): BoundingBox {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/** Rebuilds each line from its confident words, so noise inside a good line goes too. */
function keepLines(recognition: Recognition, minConfidence: number, minChars: number): KeptLine[] {
  const kept: KeptLine[] = [];
  for (const line of recognition.lines) {
    const words = recognition.words.filter((word) => centreInside(word, line.bbox));
    const sure = words.filter((word) => word.confidence >= minConfidence);
    const text = sure.map((word) => word.text).join(' ');
    if ((text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < minChars) continue;
    const bbox = sure.map((word) => word.bbox).reduce(union);
    kept.push({ text, bbox });
  }
  return kept;
}

/** Paragraph-sized pieces of confident OCR text, top to bottom, each with the union of its lines. */
export function ocrPieces(recognition: Recognition, options: OcrPiecesOptions = {}): OcrPiece[] {
  const { minWordConfidence = 50, minLineChars = 2, paragraphGap = 0.9 } = options;
  const lines = keepLines(recognition, minWordConfidence, minLineChars);

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
