/**
 * The one way mmrag reads the words on a picture, for indexing and for query pictures alike:
 * small pictures enlarged so their letters are tall enough for Tesseract, then the lines that
 * read like print, in paragraph-sized pieces.
 */

import type { CallOptions, TextRecognizer } from '../../models/roles.js';
import type { RgbImage } from '../../types.js';
import { resizeRgb } from './normalize-image.js';
import { type OcrPiece, type OcrPiecesOptions, ocrPieces } from './ocr-pieces.js';

export interface ReadPictureTextOptions extends CallOptions {
  /**
   * Pictures whose longest side is shorter are enlarged towards it (at most `maxEnlargement`
   * times): a 700-pixel screenshot has 14-pixel text, which Tesseract misreads (`resolvetix`
   * for `resolveMx`) until it is two or three times taller.
   * @default 2000
   */
  targetSide?: number;
  /** @default 3 */
  maxEnlargement?: number;
  /** How lines are judged; see {@link OcrPiecesOptions}. */
  pieces?: OcrPiecesOptions;
}

async function enlarge(image: RgbImage, targetSide: number, maxScale: number): Promise<RgbImage> {
  const scale = Math.min(maxScale, targetSide / Math.max(image.width, image.height));
  if (scale < 1.25) return image;
  return resizeRgb(image, { width: Math.round(image.width * scale), kernel: 'lanczos3' });
}

/** The words on a picture as pieces with boxes (fractions of the picture), top to bottom. */
export async function readPictureText(
  recognizer: TextRecognizer,
  image: RgbImage,
  options: ReadPictureTextOptions = {},
): Promise<OcrPiece[]> {
  const { targetSide = 2000, maxEnlargement = 3, pieces, signal } = options;
  const readable = await enlarge(image, targetSide, maxEnlargement);
  signal?.throwIfAborted();

  // Boxes are fractions of the picture, so they hold for the original size too.
  const recognition = await recognizer.recognize(readable, { signal });
  return ocrPieces(recognition, pieces);
}
