export { createTesseractRecognizer, type TesseractRecognizerOptions } from './text-recognizer.js';
