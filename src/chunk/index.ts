export { type ChunkOptions, chunkText } from './chunk-text.js';
