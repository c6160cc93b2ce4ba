/**
 * Pictures: the picture itself for the vision space, and the text on it (OCR) for the text
 * space. A caption, where a captioner is configured, is the engine's business, not this one's.
 */

import type { ExtractedSegment, Extraction } from '../../types.js';
import type { ExtractContext, ExtractInput, Extractor } from '../extractor.js';
import { normalizeImage, shrinkImage } from './normalize-image.js';
import { readPictureText } from './read-picture-text.js';

/**
 * OCR reads the picture at this longest side: enough for print down to about 1/80 of the
 * picture's height, small enough to take about a second.
 */
const OCR_SIDE = 2000;

/** Vision models take 224 to 448 pixels; a little more leaves them room to crop. */
const VISION_SIDE = 768;

async function extractImage(input: ExtractInput, context: ExtractContext): Promise<Extraction> {
  const { image, thumbnail } = await normalizeImage(input.bytes, {
    maxPixels: context.limits.maxImagePixels,
    maxSide: OCR_SIDE,
    subject: input.path,
  });
  const segments: ExtractedSegment[] = [];

  if (context.wantImages) {
    segments.push({
      kind: 'image',
      image: await shrinkImage(image, VISION_SIDE),
      thumbnail,
      locator: {},
    });
  }

  if (context.recognizer) {
    context.signal?.throwIfAborted();
    const pieces = await readPictureText(context.recognizer, image, { signal: context.signal });
    for (const piece of pieces) {
      segments.push({ kind: 'ocr', text: piece.text, locator: { bbox: piece.bbox } });
    }
  }

  return { modality: 'image', segments, notes: [] };
}

export const imageExtractor: Extractor = { modality: 'image', extract: extractImage };
