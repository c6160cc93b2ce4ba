/** A short excerpt of a hit, centred on the first query word it contains. */
import type { StoredSegment } from '../types.js';
import { readableText } from './readable-text.js';

const SNIPPET_CHARS = 240;

export function makeSnippet(segment: StoredSegment, query: string): string {
  if (segment.kind === 'image') {
    return segment.locator.page ? `[picture of page ${segment.locator.page}]` : '[picture]';
  }

  const text = readableText(segment.text);
  if (text.length <= SNIPPET_CHARS) return text;

  const lower = text.toLowerCase();
  const words = query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 2);
  const found = words.map((word) => lower.indexOf(word)).filter((at) => at >= 0);
  const centre = found.length ? Math.min(...found) : 0;

  const start = Math.max(0, Math.min(centre - SNIPPET_CHARS / 3, text.length - SNIPPET_CHARS));
  const end = start + SNIPPET_CHARS;
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
}
