/** Picks the extractor for a sniffed type. */
import { audioExtractor } from '../extract/audio/index.js';
import type { Extractor, SniffedType } from '../extract/extractor.js';
import { htmlExtractor } from '../extract/html/index.js';
import { imageExtractor } from '../extract/image/index.js';
import { pdfExtractor } from '../extract/pdf/index.js';
import { markdownExtractor, plainTextExtractor } from '../extract/text/index.js';

export function extractorFor(type: SniffedType): Extractor {
  switch (type.modality) {
    case 'pdf':
      return pdfExtractor;
    case 'image':
      return imageExtractor;
    case 'audio':
      return audioExtractor;
    case 'text':
      if (type.mime === 'text/html') return htmlExtractor;
      if (type.mime === 'text/markdown') return markdownExtractor;
      return plainTextExtractor;
  }
}
