export { openPdf } from './load-pdf.js';
export { type PageText, type PdfTextItem, pageText } from './page-text.js';
export { pdfExtractor } from './pdf-extractor.js';
export { type RenderPageOptions, renderPage } from './render-page.js';
