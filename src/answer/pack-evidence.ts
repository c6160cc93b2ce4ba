/**
 * Packing evidence into the generator's window, counted with the generator's own tokenizer:
 * the prompt, the evidence and room for the answer must fit. Pieces go in best first; when the
 * next one does not fit, it and every lower-ranked piece are dropped, whatever `k` asked for.
 * A first piece too long on its own is cut to fit. The whole prompt is counted again at the
 * end, and pieces come off the bottom until it fits, so the sum of parts can never overflow.
 */
import type { ChatMessage, Generator } from '../models/roles.js';
import type { EvidenceCandidate } from './evidence.js';
import { shorten } from './extractive.js';
import { buildMessages, evidenceBlock, type PromptEvidence } from './prompt.js';

export interface PackOptions {
  question: string;
  candidates: EvidenceCandidate[];
  generator: Pick<
    Generator,
    'contextTokens' | 'imageTokens' | 'acceptsImages' | 'countTokens' | 'countPromptTokens'
  >;
  /** Tokens kept free for the answer. */
  answerTokens: number;
}

export interface Packed {
  messages: ChatMessage[];
  /** The candidates that went in, in rank order; their numbers are their index + 1. */
  evidence: EvidenceCandidate[];
  promptTokens: number;
  /** Candidates left out for lack of room. */
  dropped: number;
}

// Tokenising pieces apart can differ from tokenising them joined by a token at each seam.
const SEAM_TOKENS = 2;

export async function packEvidence(options: PackOptions): Promise<Packed> {
  const { question, candidates, generator, answerTokens } = options;
  const limit = generator.contextTokens - answerTokens;
  const base = await generator.countPromptTokens(buildMessages(question, []));

  // Best first, until the next piece does not fit.
  const chosen: EvidenceCandidate[] = [];
  let used = base;
  for (const candidate of candidates) {
    const n = chosen.length + 1;
    const cost = await pieceTokens(candidate, n, generator);
    if (used + cost <= limit) {
      chosen.push(candidate);
      used += cost;
      continue;
    }
    if (chosen.length === 0) {
      const cut = await cutToFit(candidate, limit - used, generator);
      if (cut) chosen.push(cut);
    }
    break;
  }

  // The real count decides.
  for (;;) {
    const messages = buildMessages(question, chosen.map(toPromptEvidence));
    const promptTokens = await generator.countPromptTokens(messages);
    if (promptTokens <= limit || chosen.length === 0) {
      return {
        messages,
        evidence: chosen,
        promptTokens,
        dropped: candidates.length - chosen.length,
      };
    }
    chosen.pop();
  }
}

export function toPromptEvidence(candidate: EvidenceCandidate, index: number): PromptEvidence {
  return {
    n: index + 1,
    path: candidate.path,
    locator: candidate.locator,
    text: candidate.text,
    image: candidate.image,
  };
}

async function pieceTokens(
  candidate: EvidenceCandidate,
  n: number,
  generator: PackOptions['generator'],
): Promise<number> {
  const text = await generator.countTokens(evidenceBlock(toPromptEvidence(candidate, n - 1)));
  return text + SEAM_TOKENS + (candidate.image ? generator.imageTokens : 0);
}

/** The candidate with its text shortened until its block fits `room` tokens; undefined if none. */
async function cutToFit(
  candidate: EvidenceCandidate,
  room: number,
  generator: PackOptions['generator'],
): Promise<EvidenceCandidate | undefined> {
  let chars = candidate.text.length;
  for (let tries = 0; tries < 12 && chars > 40; tries += 1) {
    const shorter = { ...candidate, text: shorten(candidate.text, chars) };
    const cost = await pieceTokens(shorter, 1, generator);
    if (cost <= room) return shorter;
    // Shrink in proportion to the overshoot, and a little more.
    chars = Math.floor(chars * Math.min(0.9, room / cost));
  }
  return undefined;
}
