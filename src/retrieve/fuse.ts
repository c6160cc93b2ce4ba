/**
 * Reciprocal rank fusion: each retriever's list contributes weight / (k + rank) per hit, so
 * lists with incomparable scores (cosine, BM25) combine by rank alone.
 * See Cormack, Clarke and Büttcher, SIGIR 2009.
 *
 * Plain RRF lets a passage that is middling in two lists beat the only passage that holds the
 * query's words, so exactness adjusts it (README, "What it does"):
 * - keyword hits that hold every query word, the phrase, or every word the text model does not
 *   know form more lists (`exactnessLists`), each counting like the keyword list;
 * - the dense text list counts in proportion to the query words the text model knows, since a
 *   word outside its vocabulary (a name, a code identifier) adds nothing to its vector.
 */
import type { StoredSegment } from '../types.js';

export type RetrieverName = 'text' | 'vision' | 'keyword';

export interface RankedList {
  retriever: RetrieverName;
  weight: number;
  /** Best first. */
  segments: StoredSegment[];
}

export interface FusedHit {
  segment: StoredSegment;
  score: number;
  /** 1-based rank of the hit in each list that found it. */
  ranks: Partial<Record<RetrieverName, number>>;
  /** How many exactness lists (see `exactnessLists`) hold the hit. */
  exact?: number;
}

export interface FusionExtras {
  /**
   * Lists of keyword hits that meet an exactness criterion, each best first. Each adds to the
   * score like a retriever's list, but they are no retriever of their own (keyword found them).
   */
  exact?: { weight: number; lists: StoredSegment[][] };
}

export function fuseByReciprocalRank(
  lists: RankedList[],
  k: number,
  extras: FusionExtras = {},
): FusedHit[] {
  const hits = new Map<string, FusedHit>();

  for (const list of lists) {
    list.segments.forEach((segment, index) => {
      const rank = index + 1;
      const hit = hits.get(segment.id) ?? { segment, score: 0, ranks: {} };
      // A segment listed twice by one retriever counts once, at its best rank.
      if (hit.ranks[list.retriever] !== undefined) return;
      hit.ranks[list.retriever] = rank;
      hit.score += list.weight / (k + rank);
      hits.set(segment.id, hit);
    });
  }

  for (const list of extras.exact?.lists ?? []) {
    const weight = extras.exact!.weight;
    const seen = new Set<string>();
    list.forEach((segment, index) => {
      if (seen.has(segment.id)) return;
      seen.add(segment.id);
      const hit = hits.get(segment.id) ?? { segment, score: 0, ranks: {} };
      hit.exact = (hit.exact ?? 0) + 1;
      hit.score += weight / (k + index + 1);
      hits.set(segment.id, hit);
    });
  }

  // Ties (same fused score) keep a stable order: the hit found by more retrievers first, then id.
  return [...hits.values()].sort(
    (a, b) =>
      b.score - a.score ||
      Object.keys(b.ranks).length - Object.keys(a.ranks).length ||
      a.segment.id.localeCompare(b.segment.id),
  );
}

/** The words of a text as search compares them: lower-cased runs of letters and digits. */
export function queryTerms(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export interface ExactnessOptions {
  /** Whether the text model knows each of `queryTerms(query)`; absent: it knows them all. */
  known?: boolean[];
}

/**
 * The exactness lists of a query over `segments` (its keyword hits, best first), each in that
 * order and empty when it does not apply:
 * 1. the segments holding every query word as a whole word;
 * 2. those holding them as one phrase (adjacent, in query order), for two words or more;
 * 3. those holding every word the text model does not know, when it knows some of the query
 *    (a query of unknown words only is all keyword already): the dense list cannot see those
 *    words, so keyword hits on them are the only evidence for that part of the query.
 */
export function exactnessLists(
  query: string,
  segments: StoredSegment[],
  options: ExactnessOptions = {},
): StoredSegment[][] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const known = options.known ?? [];
  const unknown = terms.filter((_, i) => known[i] === false);
  const someKnown = unknown.length < terms.length;

  const allWords: StoredSegment[] = [];
  const phrase: StoredSegment[] = [];
  const unknownWords: StoredSegment[] = [];
  for (const segment of segments) {
    const words = queryTerms(segment.text);
    const present = new Set(words);
    const holds = (wanted: string[]) => wanted.every((term) => present.has(term));
    if (holds(terms)) allWords.push(segment);
    if (terms.length > 1 && holds(terms) && containsRun(words, terms)) phrase.push(segment);
    if (unknown.length > 0 && someKnown && holds(unknown)) unknownWords.push(segment);
  }
  return [allWords, phrase, unknownWords];
}

function containsRun(words: string[], run: string[]): boolean {
  for (let start = 0; start + run.length <= words.length; start += 1) {
    if (run.every((term, i) => words[start + i] === term)) return true;
  }
  return false;
}

/**
 * The dense text list's weight for one query: `weight` times the share of its words the text
 * model knows (`known`, one flag per word). Zero when it knows none: the query's vector is then
 * the placeholder every unknown text shares, and the list must not run at all.
 */
export function denseTextWeight(weight: number, known: boolean[]): number {
  if (known.length === 0) return weight;
  return (weight * known.filter(Boolean).length) / known.length;
}
