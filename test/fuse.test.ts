import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  denseTextWeight,
  exactnessLists,
  fuseByReciprocalRank,
  queryTerms,
} from '../src/retrieve/fuse.js';
import type { StoredSegment } from '../src/types.js';

function segment(id: string, text = id): StoredSegment {
  return { id, contentHash: id, modality: 'text', kind: 'body', text, locator: {} };
}

const ids = (segments: StoredSegment[]) => segments.map((s) => s.id);

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

  test('an exact match found by keyword alone beats a hit middling in two lists', () => {
    const middling = segment('m');
    const exact = segment('e');
    const lists = [
      { retriever: 'text' as const, weight: 0.5, segments: [segment('x'), middling] },
      { retriever: 'keyword' as const, weight: 1, segments: [middling, exact] },
    ];
    assert.equal(fuseByReciprocalRank(lists, 60)[0]?.segment.id, 'm');

    const fused = fuseByReciprocalRank(lists, 60, { exact: { weight: 1, lists: [[exact]] } });
    assert.equal(fused[0]?.segment.id, 'e');
    assert.equal(fused[0]?.exact, 1);
    assert.deepEqual(fused[0]?.ranks, { keyword: 2 }, 'exactness is no retriever of its own');
  });
});

describe('exactness lists', () => {
  const hits = [
    segment('words', 'Not all platforms: closures are supported on some.'),
    segment('phrase', 'Closures are not supported on all platforms.'),
    segment('some', 'Closures are supported.'),
  ];

  test('words are lower-cased runs of letters and digits', () => {
    assert.deepEqual(queryTerms('magic-deleteall, v2 Ünïcode!'), [
      'magic',
      'deleteall',
      'v2',
      'ünïcode',
    ]);
  });

  test('hits holding every word, then those holding the phrase, in keyword order', () => {
    const [all, phrase, unknown] = exactnessLists(
      'closures are NOT supported on all platforms',
      hits,
    );
    assert.deepEqual(ids(all!), ['words', 'phrase']);
    assert.deepEqual(ids(phrase!), ['phrase']);
    assert.deepEqual(ids(unknown!), []);
  });

  test('whole words only: a word inside another does not count', () => {
    const [all] = exactnessLists('magic', [segment('a', 'treemagic'), segment('b', 'magic!')]);
    assert.deepEqual(ids(all!), ['b']);
  });

  test('words the text model does not know make a list of their own', () => {
    const pages = [
      segment('magic', 'The file magic names the format.'),
      segment('api', 'The store API has deleteall.'),
    ];
    const [all, phrase, unknown] = exactnessLists('magic-deleteall', pages, {
      known: [true, false],
    });
    assert.deepEqual(ids(all!), []);
    assert.deepEqual(ids(phrase!), []);
    assert.deepEqual(ids(unknown!), ['api']);
    // With no word known, keyword decides alone and needs no second list of the same hits.
    assert.deepEqual(ids(exactnessLists('deleteall', pages, { known: [false] })[2]!), []);
  });

  test('a query without words has no exactness lists', () => {
    assert.deepEqual(exactnessLists('?!', hits), []);
  });
});

describe('dense text weight', () => {
  test('scales by the share of query words the text model knows', () => {
    assert.equal(denseTextWeight(1, [true, true]), 1);
    assert.equal(denseTextWeight(0.5, [true, false]), 0.25);
    assert.equal(denseTextWeight(1, [false]), 0);
  });

  test('a model that cannot say counts every word as known', () => {
    assert.equal(denseTextWeight(0.8, []), 0.8);
  });
});
