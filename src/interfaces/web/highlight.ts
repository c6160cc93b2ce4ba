/**
 * Marks the query's words in a snippet. Matching is by word start and case-insensitive, so
 * "wrist" marks "Wrist" and "wrists"; very short words are left alone, they match everywhere.
 */
import { h } from './dom.js';

const MIN_TERM_LENGTH = 3;

export function queryTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((word) => word.length >= MIN_TERM_LENGTH))];
}

export function highlighted(text: string, terms: string[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  if (terms.length === 0) {
    fragment.append(text);
    return fragment;
  }

  // Longest first, so "meeting" wins over "meet" where both are terms.
  const escaped = [...terms]
    .sort((a, b) => b.length - a.length)
    .map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})[\\p{L}\\p{N}]*`, 'giu');

  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const start = match.index ?? 0;
    if (start > last) fragment.append(text.slice(last, start));
    fragment.append(h('mark', {}, match[0]));
    last = start + match[0].length;
  }
  if (last < text.length) fragment.append(text.slice(last));
  return fragment;
}
