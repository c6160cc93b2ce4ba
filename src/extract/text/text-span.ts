/** A piece of a text by its offsets: `text.slice(start, end)`. */
export interface TextSpan {
  start: number;
  end: number;
}

/**
 * The span with white space trimmed from both ends, or undefined when nothing else is left.
 * Trimming moves only this span's own bounds, so the offsets of every other piece stay true.
 */
export function trimSpan(text: string, start: number, end: number): TextSpan | undefined {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return start < end ? { start, end } : undefined;
}
