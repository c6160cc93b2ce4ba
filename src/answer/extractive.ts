/**
 * The answer when no generator is configured: the best passages themselves, quoted and cited.
 * Nothing is paraphrased, so nothing can be misreported; it is as good as the retrieval.
 */
import { readableText } from '../retrieve/readable-text.js';
import type { EvidenceCandidate } from './evidence.js';

/** How many passages an extractive answer quotes. */
export const EXTRACTIVE_PASSAGES = 3;
/** Longest quote, in characters; longer passages are cut at a word. */
const QUOTE_CHARS = 400;

export function extractiveAnswer(evidence: EvidenceCandidate[]): string {
  const lines = evidence.slice(0, EXTRACTIVE_PASSAGES).map((piece, i) => {
    const n = i + 1;
    if (!piece.text) return `${n}. A picture that matches. [${n}]`;
    return `${n}. "${shorten(piece.text, QUOTE_CHARS)}" [${n}]`;
  });
  return lines.join('\n');
}

/** Cuts `text` at a word boundary near `max` characters, marking the cut. */
export function shorten(text: string, max: number): string {
  const flat = readableText(text);
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
