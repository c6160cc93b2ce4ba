export { imageExtractor } from './image-extractor.js';
export {
  makeThumbnail,
  type NormalizedImage,
  type NormalizeImageOptions,
  normalizeImage,
  shrinkImage,
} from './normalize-image.js';
export { type OcrPiece, type OcrPiecesOptions, ocrPieces } from './ocr-pieces.js';
export { plausibleToken } from './plausible-text.js';
export { type ReadPictureTextOptions, readPictureText } from './read-picture-text.js';
