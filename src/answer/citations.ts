/**
 * Checking an answer's citations against the evidence that was sent. A bracketed number that
 * names no evidence is removed from the text and reported; the answer is supported when at
 * least one citation names real evidence.
 */

export interface CitationCheck {
  /** The answer with citations of unknown numbers removed. */
  answer: string;
  /** Valid cited numbers, in order of first citation. */
  cited: number[];
  /** Cited numbers that named no evidence, in order of first citation. */
  removed: number[];
}

// `[3]`, `[1, 2]`, `[1,2,3]`, `[2-4]`: one bracket holding numbers, commas, dashes and spaces.
const CITATION = /\s?\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]/g;

export function checkCitations(answer: string, validNumbers: Iterable<number>): CitationCheck {
  const valid = new Set(validNumbers);
  const cited: number[] = [];
  const removed: number[] = [];
  const note = (list: number[], n: number) => {
    if (!list.includes(n)) list.push(n);
  };

  const cleaned = answer.replace(CITATION, (match, body: string) => {
    const numbers = expand(body);
    const kept = numbers.filter((n) => valid.has(n));
    for (const n of numbers) note(valid.has(n) ? cited : removed, n);
    if (kept.length === numbers.length) return match;
    if (kept.length === 0) return '';
    const space = match.startsWith(' ') ? ' ' : '';
    return `${space}[${kept.join(', ')}]`;
  });

  return { answer: tidy(cleaned), cited, removed };
}

function expand(body: string): number[] {
  const numbers: number[] = [];
  for (const piece of body.split(',')) {
    const range = piece.split(/[–-]/).map((value) => Number(value.trim()));
    if (range.length === 2 && range[0]! <= range[1]! && range[1]! - range[0]! < 20) {
      for (let n = range[0]!; n <= range[1]!; n += 1) numbers.push(n);
    } else {
      numbers.push(...range);
    }
  }
  return numbers;
}

/** A removed citation must not leave a space before punctuation behind. */
function tidy(text: string): string {
  return text.replace(/ +([.,;:!?])/g, '$1').trim();
}
