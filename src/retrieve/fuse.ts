/**
 * Reciprocal rank fusion: each retriever's list contributes weight / (k + rank) per hit, so
 * lists with incomparable scores (cosine, BM25) combine by rank alone.
 * See Cormack, Clarke and Büttcher, SIGIR 2009.
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
}

export function fuseByReciprocalRank(lists: RankedList[], k: number): FusedHit[] {
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

  // Ties (same fused score) keep a stable order: the hit found by more retrievers first, then id.
  return [...hits.values()].sort(
    (a, b) =>
      b.score - a.score ||
      Object.keys(b.ranks).length - Object.keys(a.ranks).length ||
      a.segment.id.localeCompare(b.segment.id),
  );
}
