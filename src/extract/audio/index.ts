export { audioExtractor } from './audio-extractor.js';
export { detectSpeech, type SpeechDetectionOptions, type SpeechRegion } from './speech-regions.js';
export { type AudioWindow, planWindows, type WindowOptions } from './windows.js';
