export { decodeHtml, htmlExtractor, htmlSegments, htmlText } from './html-extractor.js';
