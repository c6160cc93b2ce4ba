export {
  type AskDependencies,
  type AskInput,
  ask,
  DEFAULT_ASK_K,
  NO_EVIDENCE_ANSWER,
} from './ask.js';
export { type CitationCheck, checkCitations } from './citations.js';
export { type Packed, type PackOptions, packEvidence } from './pack-evidence.js';
export { buildMessages, neutralizeText, SYSTEM_PROMPT } from './prompt.js';
export type { AskOptions, AskResult, AskStream, Citation, Evidence } from './types.js';
