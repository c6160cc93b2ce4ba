export { openPdf } from './load-pdf.js';
export {
  type PageBlock,
  type PageText,
  type PageTextOptions,
  type PdfTextItem,
  pageText,
} from './page-text.js';
export { pdfExtractor } from './pdf-extractor.js';
export { type RenderPageOptions, renderPage } from './render-page.js';
