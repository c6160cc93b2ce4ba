/**
 * PDFs: the text layer of each page as `body` segments, a paragraph or a few short ones each;
 * pages with too little text (scans) rendered and OCR'd; every page rendered small as an
 * `image` segment when the vision space wants it. Page numbers are the true 1-based numbers,
 * whatever is skipped.
 */
import type { PDFDocumentProxy, PDFPageProxy, TextItem } from 'pdfjs-dist/types/src/display/api.js';

import { MmragError } from '../../errors.js';
import type { ExtractedSegment, Extraction, RgbImage } from '../../types.js';
import type { ExtractContext, ExtractInput, Extractor } from '../extractor.js';
import { makeThumbnail, shrinkImage } from '../image/normalize-image.js';
import { readPictureText } from '../image/read-picture-text.js';
import { openPdf } from './load-pdf.js';
import { pageText } from './page-text.js';
import { isBlank, renderPage } from './render-page.js';

/**
 * A page whose text layer has fewer visible characters than this is treated as a scan: a
 * page number or a running header alone does not make a page readable.
 */
const MIN_TEXT_LAYER_CHARS = 20;

/** About 200 dpi on A4 (2339 px tall), which Tesseract reads well; caps huge pages too. */
const OCR_LONGEST_SIDE = 2300;

/** Page pictures for the vision space and thumbnails. */
const IMAGE_LONGEST_SIDE = 512;

interface PageResult {
  segments: ExtractedSegment[];
  /** The page was OCR'd. */
  ocr: boolean;
  /** The page was rendered for OCR and held nothing. */
  blank: boolean;
  /** The page had too little text and no recogniser was given to OCR it. */
  unreadText: boolean;
}

/** "Page 2 was" or "Pages 2, 5 were", for the notes. */
function pagesWere(pages: number[]): string {
  return pages.length === 1 ? `Page ${pages[0]} was` : `Pages ${pages.join(', ')} were`;
}

async function readTextLayer(page: PDFPageProxy) {
  const content = await page.getTextContent();
  const items = content.items.filter((item): item is TextItem => 'str' in item);
  const viewport = page.getViewport({ scale: 1 });
  return pageText(items, {
    transform: viewport.transform,
    width: viewport.width,
    height: viewport.height,
  });
}

async function ocrSegments(
  rendered: RgbImage,
  pageNumber: number,
  context: ExtractContext,
): Promise<ExtractedSegment[]> {
  const pieces = await readPictureText(context.recognizer!, rendered, { signal: context.signal });
  return pieces.map((piece) => ({
    kind: 'ocr' as const,
    text: piece.text,
    locator: { page: pageNumber, bbox: piece.bbox },
  }));
}

async function extractPage(
  doc: PDFDocumentProxy,
  pageNumber: number,
  context: ExtractContext,
): Promise<PageResult> {
  const page = await doc.getPage(pageNumber);
  try {
    const segments: ExtractedSegment[] = [];
    const text = await readTextLayer(page);
    const scanLike = text.visibleChars < MIN_TEXT_LAYER_CHARS;
    const needsOcr = scanLike && context.recognizer !== undefined;

    // One render serves both OCR and the page picture when a page needs both.
    let rendered: RgbImage | undefined;
    let ocr = false;
    let blank = false;
    if (needsOcr) {
      rendered = await renderPage(doc, page, { longestSide: OCR_LONGEST_SIDE });
      blank = isBlank(rendered);
      if (!blank) {
        context.signal?.throwIfAborted();
        const found = await ocrSegments(rendered, pageNumber, context);
        ocr = true;
        segments.push(...found);
      }
    }

    // Keep a short text layer when OCR did not run or found nothing better.
    // One segment per block, so each hit's box shows where on the page its words are.
    if (text.text && (segments.length === 0 || text.visibleChars >= MIN_TEXT_LAYER_CHARS)) {
      segments.unshift(
        ...text.blocks.map((block) => ({
          kind: 'body' as const,
          text: block.text,
          locator: { page: pageNumber, bbox: block.bbox },
        })),
      );
    }

    if (context.wantImages) {
      const picture = rendered
        ? await shrinkImage(rendered, IMAGE_LONGEST_SIDE)
        : await renderPage(doc, page, { longestSide: IMAGE_LONGEST_SIDE });
      segments.push({
        kind: 'image',
        image: picture,
        thumbnail: await makeThumbnail(picture),
        locator: { page: pageNumber },
      });
    }
    return { segments, ocr, blank, unreadText: scanLike && !needsOcr };
  } finally {
    page.cleanup();
  }
}

function pageError(cause: unknown, pageNumber: number, subject: string): MmragError {
  if (MmragError.isInstance(cause)) return cause;
  const reason = (cause instanceof Error ? cause.message : String(cause)).replace(/\.+$/, '');
  return new MmragError(
    'FILE_CORRUPT',
    `Page ${pageNumber} of the PDF cannot be read: ${reason}.`,
    {
      subject,
      hint: 'The file may be damaged; open it in a PDF viewer to check.',
      cause,
    },
  );
}

async function extractPdf(input: ExtractInput, context: ExtractContext): Promise<Extraction> {
  const doc = await openPdf(input.bytes, input.path);
  try {
    const notes: string[] = [];
    const total = doc.numPages;
    const count = Math.min(total, context.limits.maxPdfPages);
    if (count < total) {
      notes.push(`Only the first ${count} of ${total} pages were read (limits.maxPdfPages).`);
    }

    const segments: ExtractedSegment[] = [];
    const ocrPages: number[] = [];
    const blankPages: number[] = [];
    const textlessPages: number[] = [];
    const brokenPages: number[] = [];
    let firstBreak: unknown;
    for (let pageNumber = 1; pageNumber <= count; pageNumber++) {
      context.signal?.throwIfAborted();
      let result: PageResult;
      try {
        result = await extractPage(doc, pageNumber, context);
      } catch (cause) {
        // A model failure or an abort ends the file; one damaged page only skips that page.
        if (MmragError.isInstance(cause) || context.signal?.aborted) throw cause;
        brokenPages.push(pageNumber);
        firstBreak ??= cause;
        continue;
      }
      segments.push(...result.segments);
      if (result.ocr) ocrPages.push(pageNumber);
      if (result.blank) blankPages.push(pageNumber);
      if (result.unreadText) textlessPages.push(pageNumber);
    }
    if (count > 0 && brokenPages.length === count) {
      throw pageError(firstBreak, brokenPages[0]!, input.path);
    }

    if (ocrPages.length) notes.push(`${pagesWere(ocrPages)} OCR'd: no text layer.`);
    if (blankPages.length) notes.push(`${pagesWere(blankPages)} blank.`);
    if (textlessPages.length) {
      notes.push(
        `${pagesWere(textlessPages)} not read: no text layer, and no OCR model is configured.`,
      );
    }
    if (brokenPages.length) notes.push(`${pagesWere(brokenPages)} skipped: damaged.`);
    return { modality: 'pdf', segments, notes };
  } finally {
    await doc.destroy();
  }
}

export const pdfExtractor: Extractor = { modality: 'pdf', extract: extractPdf };
