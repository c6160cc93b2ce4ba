/**
 * Retrieval quality on a small realistic corpus, through the real engine and the lite-like
 * fixture set (GloVe text embedder): exact matches beat fuzzy ones, a word the text model does
 * not know is decided by keyword, and unknown words do not all match each other.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createEngine, type Engine } from '../src/index.js';
import { fixtureEngineOptions } from './helpers/e2e-fixture-models.js';

/** Passages like those of a programming handbook, with near misses for every query below. */
const CORPUS: Record<string, string> = {
  'closures.md':
    '# Language notes\n\nThe compiler inlines small functions. Closures are not supported on ' +
    'all platforms; on embedded targets use plain function pointers instead.\n',
  'platforms.md':
    '# Supported platforms\n\nAll desktop platforms are supported. Most features are ' +
    'supported on all platforms, and the platforms that are not supported are listed here.\n',
  'threads.md':
    '# Threads\n\nThreads are supported on all desktop platforms. Closures and callbacks are ' +
    'passed to the thread pool, which is not available on every platform.\n',
  'magic.md':
    '# Magic numbers\n\nThe file magic identifies the format. Magic bytes at the start of the ' +
    'file tell the reader which decoder to use; a wrong magic means a corrupt file.\n',
  'magic-tricks.md':
    '# Stage magic\n\nA magician performs card tricks and illusions; the magic of the show ' +
    'is in the tricks the audience does not see.\n',
  'store-api.md':
    '# Store API\n\nThe store removes every entry at once with deleteall, which takes a lock ' +
    'and returns the number of entries removed.\n',
  'changelog.md':
    '# Changelog\n\nVersion 2 renamed clear to deleteall and added treemagic, the tree ' +
    'inspector.\n',
  // Words no vocabulary holds, as OCR of a diagram produces them.
  'diagram-ocr.md': 'htmla xsltcompmatch qzxv\n',
  'stylesheet-ocr.md': 'xsltapplytemplates htmlb zzqk\n',
};

describe('retrieval quality (fixture models)', () => {
  let root: string;
  let engine: Engine;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'mmrag-quality-'));
    const docs = join(root, 'docs');
    await mkdir(docs);
    for (const [name, body] of Object.entries(CORPUS)) await writeFile(join(docs, name), body);
    engine = await createEngine(await fixtureEngineOptions(join(root, 'index')));
    const report = await engine.ingest([docs]);
    assert.equal(report.counts.indexed, Object.keys(CORPUS).length);
  });

  after(async () => {
    await engine?.close();
  });

  const names = (results: { path: string }[]) =>
    results.map((result) => result.path.split('/').at(-1));

  test('the passage holding the exact sentence comes first', async () => {
    const { results } = await engine.search('closures are not supported on all platforms', {
      k: 5,
    });
    assert.equal(names(results)[0], 'closures.md', names(results).join(', '));
  });

  test('a word the text model does not know is decided by keyword', async () => {
    const { results } = await engine.search('magic-deleteall', { k: 3 });
    const top = names(results).slice(0, 2);
    assert.deepEqual(top.sort(), ['changelog.md', 'store-api.md'], names(results).join(', '));
  });

  test('a rare word finds the passages that hold it, and only those', async () => {
    const { results } = await engine.search('treemagic', { k: 5 });
    assert.deepEqual(names(results), ['changelog.md']);
  });

  test('a query of unknown words matches no passage of unknown words', async () => {
    for (const query of ['xyzzyplugh', 'stylesheet templates']) {
      const { results, retrievers } = await engine.search(query, { k: 5 });
      assert.deepEqual(names(results), [], query);
      assert.equal(retrievers.text ?? 0, 0, query);
    }
  });

  test('a made-up word alone gives no results at all', async () => {
    const { results, retrievers } = await engine.search('xyzzyplugh', { k: 5 });
    assert.deepEqual(names(results), []);
    assert.equal(retrievers.text ?? 0, 0);
  });

  test('passages of unknown words are not dense matches for a real query', async () => {
    // Words whose vectors lie near the placeholder's direction (measured on the GloVe model).
    const { results } = await engine.search('portable disk storage', { k: 10 });
    const junk = names(results).filter((name) => name?.endsWith('-ocr.md'));
    assert.deepEqual(junk, []);
  });

  test('passages of unknown words stay findable by keyword', async () => {
    const { results } = await engine.search('xsltcompmatch', { k: 5 });
    assert.deepEqual(names(results), ['diagram-ocr.md']);
    assert.deepEqual(Object.keys(results[0]!.matchedBy), ['keyword']);
  });
});
