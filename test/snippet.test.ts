import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSnippet } from '../src/retrieve/snippet.js';
import type { StoredSegment } from '../src/types.js';

function segment(text: string): StoredSegment {
  return { id: 'a-0', contentHash: 'a', modality: 'text', kind: 'body', text, locator: {} };
}

test('a Markdown snippet reads without heading markers, and keeps other hashes', () => {
  const snippet = makeSnippet(segment('## Findings\n\nSee issue #4 and C# notes.'), 'findings');
  assert.equal(snippet, 'Findings See issue #4 and C# notes.');
});

test('a long snippet is centred on the first query word it contains', () => {
  const text = `${'filler words here. '.repeat(40)}The espresso machine is descaled.`;
  const snippet = makeSnippet(segment(text), 'espresso');
  assert.ok(snippet.startsWith('…'));
  assert.ok(snippet.includes('espresso machine'));
});
