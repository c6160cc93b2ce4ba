/**
 * Turns what a user typed into terms for LanceDB's full-text search.
 *
 * The query goes to the index as a match query (any term may match, BM25 ranks), never through
 * a query parser, and every character that is not a letter, digit or apostrophe inside a word
 * becomes a space first. So quotes, colons, parentheses and `AND`/`OR`/`NOT` are plain words or
 * nothing, and cannot make a query fail.
 */

/** Words of the query, joined by single spaces; '' when nothing searchable is left. */
export function sanitizeKeywordQuery(query: string): string {
  const words = query
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}\p{M}']+/gu, ' ')
    .split(' ')
    .map((word) => word.replace(/^'+|'+$/g, ''))
    .filter((word) => word.length > 0);

  return words.join(' ');
}
