/**
 * Tells words that OCR read from print apart from the shapes it "reads" in photos, by what the
 * tokens look like rather than by Tesseract's confidence alone: monospace code and small web
 * fonts are read correctly at confidences of 0 to 40, while noise in photos rarely looks like
 * words (runs of one letter, letters and digits interleaved, 25 letters without a vowel).
 */

/** Letters of the Latin alphabet that make a run pronounceable. */
const VOWELS = /[aeiouyäöüàáâèéêìíîòóôùúûæøå]/i;

/** A run of one lower-case (or capitalised) English-like word is rarely longer than this. */
const MAX_WORD_RUN = 16;

/** Letters or digits, in any script. */
const ALNUM = /[\p{L}\p{N}]/gu;

function alnumCount(token: string): number {
  return token.match(ALNUM)?.length ?? 0;
}

/**
 * Splits a token into the words it is made of: at punctuation, at lower-to-upper case changes
 * (`lookupService`), and between letters and digits (`asn1Decoding`).
 */
function parts(token: string): string[] {
  return token
    .split(/[^\p{L}\p{N}]+/u)
    .flatMap((part) => part.split(/(?<=\p{Ll})(?=\p{Lu})|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u))
    .filter(Boolean);
}

function plausiblePart(part: string): boolean {
  if (/^\p{N}+$/u.test(part)) return part.length <= 12;
  // Three of one letter in a row ("RRR", "ooo") is noise in any word that matters here.
  if (/(\p{L})\1\1/iu.test(part)) return false;
  if (!/^[A-Za-z\u00c0-\u024f]+$/.test(part)) return true;
  if (part.length > MAX_WORD_RUN) return false;
  return part.length < 4 || VOWELS.test(part);
}

/**
 * Whether one OCR token looks like a word, a name or a number: at least three letters or
 * digits, mostly letters or digits, and made of plausible parts. Code such as
 * `dnsPromises.lookupService(address,` counts; `3RRRRRRRRRR` and `Fopooooc00c0ppe0e` do not.
 */
export function plausibleToken(token: string): boolean {
  const count = alnumCount(token);
  if (count < 3 || count < 0.6 * [...token].length) return false;
  const pieces = parts(token);
  // Letters and digits alternating many times is how OCR spells a texture.
  if (pieces.length > 4 && pieces.filter((piece) => piece.length <= 2).length > 2) return false;
  return pieces.every(plausiblePart);
}

/** A token that carries nothing on its own: fewer than two letters or digits, and not a word. */
export function junkToken(token: string): boolean {
  return alnumCount(token) < 2 && !/^(?:[aAI]|\p{N})[.,;:!?)]?$/u.test(token);
}

export interface LineJudgement {
  /** Share of the line's visible characters that are in plausible tokens, 0 to 1. */
  wordiness: number;
  /** Share of the line's tokens that are junk, 0 to 1. */
  junk: number;
}

export function judgeLine(tokens: string[]): LineJudgement {
  const visible = tokens.reduce((sum, token) => sum + [...token].length, 0);
  if (visible === 0) return { wordiness: 0, junk: 1 };
  const plausible = tokens
    .filter(plausibleToken)
    .reduce((sum, token) => sum + [...token].length, 0);
  const junk = tokens.filter(junkToken).length / tokens.length;
  return { wordiness: plausible / visible, junk };
}
