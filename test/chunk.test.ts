import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chunkText } from '../src/chunk/index.js';
import { DEFAULT_EXTRACT_LIMITS } from '../src/extract/extractor.js';
import { markdownExtractor, plainTextExtractor } from '../src/extract/text/index.js';
import type { ExtractedSegment } from '../src/types.js';

/**
 * A tokenizer-like counter: a word is one token per 5 characters (so a run with no spaces is
 * many tokens, as with word pieces), plus 2 special tokens per text. It records its use, so the
 * tests can check the chunker counts in batches and in linear work.
 */
function wordPieceCounter() {
  const usage = { calls: 0, texts: 0, chars: 0 };
  const count = (text: string) => {
    let tokens = 2;
    for (const word of text.split(/\s+/)) if (word) tokens += Math.ceil(word.length / 5);
    return tokens;
  };
  const countTokens = async (texts: string[]) => {
    usage.calls++;
    usage.texts += texts.length;
    for (const text of texts) usage.chars += text.length;
    return texts.map(count);
  };
  return { count, countTokens, usage };
}

const sentence = (i: number) => `Sentence number ${i} talks about gardens and the weather today.`;

function bodySegment(
  text: string,
  charStart = 0,
  extra: Partial<ExtractedSegment['locator']> = {},
) {
  const locator = { charStart, charEnd: charStart + text.length, headingPath: ['Notes'], ...extra };
  return { kind: 'body', text, locator } satisfies ExtractedSegment;
}

describe('chunkText', () => {
  test('packs whole sentences up to the window and keeps absolute offsets', async () => {
    const { count, countTokens } = wordPieceCounter();
    const prefix = 'x'.repeat(100);
    const body = Array.from({ length: 200 }, (_, i) => sentence(i)).join(' ');
    const file = `${prefix}${body}`;
    const segment = bodySegment(body, prefix.length, { page: 3 });

    const pieces = await chunkText([segment], { maxTokens: 64, countTokens });
    assert.ok(pieces.length > 10);
    for (const piece of pieces) {
      assert.ok(count(piece.text!) <= 64);
      assert.equal(file.slice(piece.locator.charStart, piece.locator.charEnd), piece.text);
      assert.deepEqual(piece.locator.headingPath, ['Notes']);
      assert.equal(piece.locator.page, 3);
      assert.match(piece.text!, /^Sentence number \d+ .*today\.$/);
    }
    assert.equal(pieces.map((p) => p.text).join(' '), body);
  });

  test('an over-long sentence is cut at word bounds', async () => {
    const { count, countTokens } = wordPieceCounter();
    const words = Array.from({ length: 2000 }, (_, i) => `word${i}`);
    const text = words.join(' ');
    const pieces = await chunkText([bodySegment(text)], { maxTokens: 50, countTokens });

    assert.ok(pieces.length > 1);
    for (const piece of pieces) {
      assert.ok(count(piece.text!) <= 50);
      assert.match(piece.text!, /^word\d+( word\d+)*$/);
    }
    assert.deepEqual(
      pieces.flatMap((p) => p.text!.split(' ')),
      words,
    );
  });

  test('a 10 MB run with no spaces is cut by characters, with few batched counts', async () => {
    const { count, countTokens, usage } = wordPieceCounter();
    const run = 'abcdefghij😀'.repeat((10 * 1024 * 1024) / 12);
    const pieces = await chunkText([bodySegment(run)], { maxTokens: 128, countTokens });

    assert.ok(pieces.every((piece) => count(piece.text!) <= 128));
    assert.ok(
      pieces.every((piece) => piece.text!.isWellFormed()),
      'no emoji split in half',
    );
    assert.equal(pieces.map((p) => p.text).join(''), run);
    assert.equal(pieces.at(-1)!.locator.charEnd, run.length);

    // Linear: every character is counted a small number of times, in batches.
    assert.ok(usage.chars <= 4 * run.length, `counted ${usage.chars} characters`);
    assert.ok(usage.calls < 200, `${usage.calls} calls`);
    assert.ok(usage.texts / usage.calls > 50, 'batched');
  });

  test('a 2 MB section of prose splits into whole sentences', async () => {
    // Intl.Segmenter costs grow with the string's length at every step; the chunker must read it
    // in windows, or this test takes minutes instead of a second.
    const { count, countTokens } = wordPieceCounter();
    const text = Array.from({ length: 40_000 }, (_, i) => sentence(i)).join(' ');
    const pieces = await chunkText([bodySegment(text)], { maxTokens: 200, countTokens });
    assert.ok(pieces.every((piece) => count(piece.text!) <= 200));
    assert.ok(pieces.every((piece) => /^Sentence number \d+ .*today\.$/.test(piece.text!)));
    assert.equal(pieces.map((p) => p.text).join(' '), text);
  });

  test('maxChars cuts a run a word-level tokenizer counts as one token (issue 3, case 13)', async () => {
    // A GloVe-style count: one token per word, however long, plus 2 special tokens.
    const countTokens = async (texts: string[]) =>
      texts.map((text) => 2 + text.split(/\s+/).filter(Boolean).length);
    const run = 'abcdefghij'.repeat(100_000);
    const prose = Array.from({ length: 200 }, (_, i) => sentence(i)).join(' ');
    const pieces = await chunkText([bodySegment(run), bodySegment(prose, run.length + 1)], {
      maxTokens: 256,
      maxChars: 4096,
      countTokens,
    });

    const runPieces = pieces.filter((piece) => piece.locator.charStart! < run.length);
    assert.equal(runPieces.map((piece) => piece.text).join(''), run);
    assert.ok(pieces.every((piece) => piece.text!.length <= 4096));
    // Prose still breaks at sentence ends, now inside the character bound too.
    const prosePieces = pieces.filter((piece) => piece.locator.charStart! > run.length);
    assert.ok(prosePieces.length > 1);
    assert.ok(prosePieces.every((piece) => /^Sentence number \d+ .*today\.$/.test(piece.text!)));
  });

  test('short segments pass unchanged, image segments untouched, blank ones dropped', async () => {
    const { countTokens } = wordPieceCounter();
    const short = bodySegment('A short note.');
    const image: ExtractedSegment = {
      kind: 'image',
      image: { width: 1, height: 1, data: new Uint8Array(3) },
      locator: { page: 1 },
    };
    const blank = bodySegment(' \n\t ');
    const padded = bodySegment('  Padded.  ', 10);

    const pieces = await chunkText([short, image, blank, padded], { maxTokens: 32, countTokens });
    assert.equal(pieces.length, 3);
    assert.equal(pieces[0], short);
    assert.equal(pieces[1], image);
    assert.deepEqual(pieces[2]!.locator, { charStart: 12, charEnd: 19, headingPath: ['Notes'] });
    assert.equal(pieces[2]!.text, 'Padded.');
  });

  test('segments without offsets (a transcript window) keep their own locator', async () => {
    const { countTokens } = wordPieceCounter();
    const text = Array.from({ length: 40 }, (_, i) => sentence(i)).join(' ');
    const transcript: ExtractedSegment = {
      kind: 'transcript',
      text,
      locator: { start: 5, end: 35 },
    };
    const pieces = await chunkText([transcript], { maxTokens: 40, countTokens });
    assert.ok(pieces.length > 1);
    for (const piece of pieces) {
      assert.deepEqual(piece.locator, { start: 5, end: 35 });
      assert.equal(piece.kind, 'transcript');
    }
  });

  test('overlapSentences repeats the last sentence of a piece at the start of the next', async () => {
    const { count, countTokens } = wordPieceCounter();
    const text = Array.from({ length: 30 }, (_, i) => sentence(i)).join(' ');
    const pieces = await chunkText([bodySegment(text)], {
      maxTokens: 60,
      countTokens,
      overlapSentences: 1,
    });
    assert.ok(pieces.length > 2);
    for (let i = 1; i < pieces.length; i++) {
      const previous = pieces[i - 1]!.text!;
      const lastSentence = previous.slice(previous.lastIndexOf('Sentence number'));
      assert.ok(pieces[i]!.text!.startsWith(lastSentence), `piece ${i} starts with the overlap`);
      assert.ok(count(pieces[i]!.text!) <= 60);
    }
  });

  test('a window too small for the special tokens is a configuration error', async () => {
    const { countTokens } = wordPieceCounter();
    await assert.rejects(chunkText([bodySegment('Hi.')], { maxTokens: 2, countTokens }), {
      code: 'CONFIG',
    });
  });

  test('a blank file and a Markdown file with only an image end with no segments', async () => {
    const { countTokens } = wordPieceCounter();
    const context = { wantImages: false, limits: DEFAULT_EXTRACT_LIMITS };
    const bytes = (text: string) => new TextEncoder().encode(text);

    const blank = await plainTextExtractor.extract(
      {
        path: 'blank.txt',
        bytes: bytes('   \n\n \t\n'),
        type: { modality: 'text', mime: 'text/plain' },
      },
      context,
    );
    const image = await markdownExtractor.extract(
      {
        path: 'pic.md',
        bytes: bytes('![chart](chart.png)\n'),
        type: { modality: 'text', mime: 'text/markdown' },
      },
      context,
    );
    for (const extraction of [blank, image]) {
      assert.deepEqual(await chunkText(extraction.segments, { maxTokens: 32, countTokens }), []);
    }
  });
});
