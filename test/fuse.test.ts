import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fuseByReciprocalRank } from '../src/retrieve/fuse.js';
import type { StoredSegment } from '../src/types.js';

function segment(id: string): StoredSegment {
  return { id, contentHash: id, modality: 'text', kind: 'body', text: id, locator: {} };
}

describe('reciprocal rank fusion', () => {
  test('a hit found by two retrievers beats hits found by one', () => {
    const fused = fuseByReciprocalRank(
      [
        { retriever: 'text', weight: 1, segments: [segment('a'), segment('b')] },
        { retriever: 'keyword', weight: 1, segments: [segment('c'), segment('b')] },
      ],
      60,
    );
    assert.equal(fused[0]?.segment.id, 'b');
    assert.deepEqual(fused[0]?.ranks, { text: 2, keyword: 2 });
  });

  test('weights decide between lists', () => {
    const fused = fuseByReciprocalRank(
      [
        { retriever: 'text', weight: 0.2, segments: [segment('a')] },
        { retriever: 'vision', weight: 1, segments: [segment('v')] },
      ],
      60,
    );
    assert.deepEqual(
      fused.map((hit) => hit.segment.id),
      ['v', 'a'],
    );
  });

  test('a weight of zero ranks that list last, and empty lists are harmless', () => {
    const fused = fuseByReciprocalRank(
      [
        { retriever: 'text', weight: 0, segments: [segment('a')] },
        { retriever: 'keyword', weight: 1, segments: [segment('k')] },
        { retriever: 'vision', weight: 1, segments: [] },
      ],
      60,
    );
    assert.deepEqual(
      fused.map((hit) => hit.segment.id),
      ['k', 'a'],
    );
  });
});
