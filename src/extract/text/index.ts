export { type DecodedText, decodeDeclared, decodeText, normalizeText } from './decode-text.js';
export { markdownExtractor, markdownSegments } from './markdown-extractor.js';
export { plainTextExtractor, plainTextSegments } from './plain-text-extractor.js';
