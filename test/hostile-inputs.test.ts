/**
 * Issue 3, cases 1–21: one folder of hostile and broken inputs goes through the engine in one
 * ingest, as a user's folder would. Each test checks what that user sees: the file's status and
 * reason in the report, and whether a search finds the right file at the right place.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { resolveModelSet } from '../src/config/model-sets.js';
import { normalizeImage } from '../src/extract/image/index.js';
import { createEngine, type Engine } from '../src/index.js';
import type { FileOutcome, IngestReport } from '../src/ingest/report.js';
import { createModelProvider } from '../src/models/model-provider.js';
import { openLanceStore } from '../src/store/lancedb/index.js';
import {
  FIXTURE_MODEL_SET,
  fixtureEngineOptions,
  fixtureModelsDir,
} from './helpers/e2e-fixture-models.js';
import { makeWorkFolder, spawnMmrag } from './helpers/hostile-cli.js';
import { makeHostileBatch } from './helpers/hostile-inputs.js';
import { placeAt, synthesizeSpeech, writeWav } from './helpers/speech-tones.js';

describe('hostile and broken inputs through the engine', () => {
  let engine: Engine;
  let batch: string;
  let indexDir: string;
  let report: IngestReport;

  const at = (relative: string) => join(batch, relative);
  const outcome = (relative: string): FileOutcome => {
    const found = report.files.find((file) => file.path === at(relative));
    assert.ok(found, `no outcome for ${relative}`);
    return found;
  };
  const top = async (query: string, modality?: 'text' | 'pdf' | 'image' | 'audio') => {
    const { results } = await engine.search(query, modality ? { modalities: [modality] } : {});
    return results;
  };

  before(async () => {
    const root = await mkdtemp(join(tmpdir(), 'mmrag-hostile-'));
    batch = await makeHostileBatch(root);
    indexDir = join(root, 'index');
    engine = await createEngine(await fixtureEngineOptions(indexDir));
    report = await engine.ingest([batch]);
  });

  after(async () => {
    await engine?.close();
  });

  test('case 1: an EXIF-rotated JPEG is OCR’d the way a person sees it', async () => {
    assert.equal(outcome('images/sideways.jpg').status, 'indexed');
    const hit = (await top('harbour ferry timetable', 'image'))[0];
    assert.equal(hit?.path, at('images/sideways.jpg'));
    assert.equal(hit?.kind, 'ocr');
  });

  test('case 2: grey PNG and JPEG embed like an RGB copy of the picture (cosine ≥ 0.99)', async () => {
    const rgbBytes = await readFile(at('images/rgb-copy.png'));
    assert.equal((await sharp(rgbBytes).metadata()).channels, 3);
    for (const name of ['gray.png', 'gray.jpg', 'rgb-copy.png']) {
      assert.equal(outcome(`images/${name}`).status, 'indexed', name);
    }

    // The query is the RGB copy's vector; the store scores the stored vectors by cosine.
    const provider = createModelProvider({
      set: resolveModelSet(FIXTURE_MODEL_SET),
      modelsDir: await fixtureModelsDir(),
      offline: true,
    });
    const store = await openLanceStore({ dir: join(indexDir, 'store'), mode: 'read' });
    try {
      const { image } = await normalizeImage(rgbBytes, { maxPixels: 100_000_000 });
      const [vector] = await (await provider.imageTextEmbedder())!.embedImages([image]);
      const hits = await store.searchVectors('vision', vector!, 20, { modalities: ['image'] });
      for (const name of ['gray.png', 'gray.jpg']) {
        const source = await store.getSource(at(`images/${name}`));
        const score = hits.find((hit) => hit.segment.contentHash === source?.contentHash)?.score;
        assert.ok(score !== undefined && score >= 0.99, `${name}: cosine ${score}`);
      }
    } finally {
      await store.close();
      await provider.dispose();
    }
  });

  test('case 3: a JPEG cut off half-way is reported; the good files around it are indexed', () => {
    const cut = outcome('images/cut-off.jpg');
    assert.equal(cut.status, 'failed');
    assert.equal(cut.code, 'FILE_CORRUPT');
    assert.match(cut.reason!, /truncated|damaged/);
    assert.equal(outcome('images/gray.jpg').status, 'indexed');
    assert.equal(outcome('images/sideways.jpg').status, 'indexed');
  });

  test('case 4: stereo with different words per channel: both channels are searchable', async () => {
    for (const words of ['left channel', 'right coffee']) {
      const hit = (await top(words, 'audio'))[0];
      assert.equal(hit?.path, at('audio/stereo.wav'), words);
      assert.match(hit.snippet, new RegExp(words));
    }
  });

  test('case 5: the same speech at 8, 16 and 44.1 kHz gives the same transcript', async () => {
    const hits = await top('hello world budget meeting', 'audio');
    const byRate = ['8000', '16000', '44100'].map((rate) =>
      hits.find((hit) => hit.path === at(`audio/rate-${rate}.wav`)),
    );
    assert.deepEqual(
      byRate.map((hit) => hit?.snippet),
      Array(3).fill('hello world budget meeting'),
    );
  });

  test('case 6: words after the first minute of a 70 s recording carry their true time', async () => {
    const hit = (await top('radiologist wrist fracture', 'audio'))[0];
    assert.equal(hit?.path, at('audio/seventy-seconds.wav'));
    assert.ok(hit.locator.start! > 60 && hit.locator.end! <= 70, JSON.stringify(hit.locator));
  });

  test('case 7: ten seconds of silence, and of faint noise, are reported as no speech', async () => {
    for (const name of ['silence.wav', 'hiss.wav']) {
      const file = outcome(`audio/${name}`);
      assert.equal(file.status, 'skipped', name);
      assert.equal(file.segments, 0);
      assert.match(file.reason!, /no speech/i);
    }
    const status = await engine.status();
    assert.ok(status.skipped.some((entry) => entry.path === at('audio/silence.wav')));
  });

  test('case 8: a scan without a text layer is found through OCR, on its page', async () => {
    const hit = (await top('invoice acme widgets', 'pdf'))[0];
    assert.equal(hit?.path, at('pdf/scan.pdf'));
    assert.equal(hit.kind, 'ocr');
    assert.equal(hit.locator.page, 2);
  });

  test('case 9: an empty user password is read; a real one is reported as encrypted', async () => {
    assert.equal(outcome('pdf/open-encrypted.pdf').status, 'indexed');
    const hit = (await top('confidential payroll figures', 'pdf'))[0];
    assert.equal(hit?.path, at('pdf/open-encrypted.pdf'));

    const locked = outcome('pdf/locked.pdf');
    assert.equal(locked.status, 'failed');
    assert.equal(locked.code, 'FILE_ENCRYPTED');
    assert.match(locked.reason!, /password/);
    const status = await engine.status();
    assert.ok(status.failed.some((entry) => entry.path === at('pdf/locked.pdf')));
  });

  test('case 10: after a blank page, later pages keep their true numbers', async () => {
    const hit = (await top('umbrella sales forecast', 'pdf'))[0];
    assert.equal(hit?.path, at('pdf/blank-middle.pdf'));
    assert.equal(hit.locator.page, 3);
  });

  test('case 11: an accented word finds both the UTF-16 and the Latin-1 file', async () => {
    const paths = (await top('crème brûlée', 'text')).map((hit) => hit.path);
    assert.ok(paths.includes(at('text/utf16.txt')), paths.join('\n'));
    assert.ok(paths.includes(at('text/latin1.txt')), paths.join('\n'));
    const snippets = (await top('brûlée', 'text')).map((hit) => hit.snippet);
    assert.ok(snippets.some((snippet) => snippet.includes('Notre crème brûlée est célèbre.')));
  });

  test('case 12: CRLF and LF copies of a Markdown file give identical segments', async () => {
    const { results } = await engine.search('dishwasher runs every evening', { k: 20 });
    const shape = (name: string) =>
      results
        .filter((hit) => hit.path === at(`text/${name}`))
        .map((hit) => JSON.stringify([hit.locator, hit.snippet]))
        .sort();
    assert.equal(
      outcome('text/sections-crlf.md').segments,
      outcome('text/sections-lf.md').segments,
    );
    assert.ok(shape('sections-lf.md').length > 0);
    assert.deepEqual(shape('sections-crlf.md'), shape('sections-lf.md'));
  });

  test('case 13: one 10 MB line with no spaces is split within the window, not one piece', () => {
    const file = outcome('text/one-line.txt');
    assert.equal(file.status, 'indexed');
    // 10 MB in pieces the 256-token window allows (the ceiling is 16 characters a token).
    assert.ok(file.segments >= 10_000_000 / (256 * 16), `${file.segments} segments`);
  });

  test('case 14: a passage over the token window is split, and its last word is found', async () => {
    const file = outcome('text/long-passage.txt');
    assert.ok(file.segments > 1, `${file.segments} segments`);
    const hit = (await top('zanzibar', 'text'))[0];
    assert.equal(hit?.path, at('text/long-passage.txt'));
    assert.match(hit.snippet, /zanzibar/);
  });

  test('case 15: white space alone, or only an image link, gives no segments', () => {
    for (const name of ['blank.txt', 'only-image.md']) {
      const file = outcome(`text/${name}`);
      assert.equal(file.status, 'skipped', name);
      assert.equal(file.segments, 0);
      assert.match(file.reason!, /No text/);
    }
  });

  test('case 16: zero-byte .txt, .pdf, .jpg and .wav are reported as empty', () => {
    for (const name of ['zero.txt', 'zero.pdf', 'zero.jpg', 'zero.wav']) {
      const file = outcome(`empty/${name}`);
      assert.equal(file.status, 'skipped', name);
      assert.equal(file.code, 'FILE_EMPTY');
      assert.match(file.reason!, /empty/);
    }
  });

  test('case 17: odd names are indexed and shown as they are, bytes not UTF-8 too', async () => {
    const cases = [
      ['orchid greenhouse humidity', 'names/with space [draft] (1).txt'],
      ['sailing instructor brest', 'names/résumé café.md'],
      ['tapestry weaving workshop', 'names/latin\\xE9.txt'],
    ] as const;
    for (const [query, name] of cases) {
      assert.equal(outcome(name).status, 'indexed', name);
      assert.equal((await top(query, 'text'))[0]?.path, at(name), query);
    }
  });

  test('case 18: a link to the parent folder and a link to itself: no loop, each file once', () => {
    const paths = report.files.map((file) => file.path);
    assert.equal(new Set(paths).size, paths.length, 'a path listed twice');
    assert.equal(outcome('links/real.txt').status, 'indexed');
    assert.match(outcome('links/up').reason!, /already walked/);
    assert.match(outcome('links/self').reason!, /loop/);
    assert.ok(!paths.some((path) => path.includes('/up/')), 'walked into the parent link');
  });

  test('case 19: the same bytes under two names: one set of vectors, both paths listed', async () => {
    assert.deepEqual(outcome('text/twin-b.txt').notes, ['same content as an indexed file']);
    const hits = (await top('glacier hiking permit', 'text')).filter((hit) =>
      hit.paths.includes(at('text/twin-a.txt')),
    );
    assert.equal(hits.length, 1, 'one segment for both names');
    assert.deepEqual(hits[0]!.paths, [at('text/twin-a.txt'), at('text/twin-b.txt')]);
  });

  test('case 20: an empty query and a query of spaces are usage errors', async () => {
    for (const query of ['', '   ', { text: ' \t ' }]) {
      await assert.rejects(engine.search(query), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'USAGE');
        assert.match(error.message, /query is empty/);
        return true;
      });
    }
  });

  test('case 21: random bytes named .pdf, .png, .mp3 and .html are reported, not fatal', () => {
    for (const name of ['noise.pdf', 'noise.png', 'noise.mp3']) {
      const file = outcome(`junk/${name}`);
      assert.equal(file.status, 'failed', name);
      assert.equal(file.code, 'FILE_CORRUPT');
      assert.match(file.reason!, /the bytes are not one/);
    }
    const html = outcome('junk/noise.html');
    assert.equal(html.status, 'skipped');
    assert.match(html.reason!, /Not a type mmrag indexes/);
  });

  test('the report adds up: each file listed once, every one not indexed with a reason', () => {
    const { counts } = report;
    const failed = report.files.filter((file) => file.status === 'failed');
    assert.equal(counts.failed, 5, JSON.stringify(failed, null, 2));
    assert.equal(report.files.length, counts.indexed + counts.skipped + counts.failed);
    for (const file of report.files.filter((f) => f.status !== 'indexed')) {
      assert.ok(file.reason && file.reason.length > 5, `${file.path} has no reason`);
    }
  });
});

describe('limits on the command line', () => {
  test('going over --max-file-mb, --max-image-megapixels, --max-audio-minutes is reported', async () => {
    const { work, notes } = await makeWorkFolder(1);
    await writeFile(join(notes, 'big.txt'), 'word '.repeat(700_000));
    const pixels = { width: 1200, height: 1000, channels: 3 as const, background: '#3366cc' };
    await writeFile(join(notes, 'large.png'), await sharp({ create: pixels }).png().toBuffer());
    const speech = placeAt(70, [{ at: 65, audio: synthesizeSpeech(['hello', 'world']) }]);
    await writeWav(join(notes, 'long.wav'), [speech], 16_000, 16);

    const flags = [
      '--max-file-mb',
      '2.5',
      '--max-image-megapixels',
      '1',
      '--max-audio-minutes',
      '1',
    ];
    const run = await spawnMmrag(['ingest', notes, '--json', ...flags], work).done;
    assert.equal(run.code, 3, run.stderr);
    const report = JSON.parse(run.stdout) as IngestReport;
    const reason = (name: string) => report.files.find((f) => f.path === join(notes, name));
    assert.match(reason('big.txt')!.reason!, /over the limit.*--max-file-mb/);
    assert.match(reason('large.png')!.reason!, /pixels/);
    assert.match(reason('long.wav')!.reason!, /maxAudioSeconds|longer/);
    assert.equal(report.counts.indexed, 1, 'the note under every limit is indexed');

    const slow = await spawnMmrag(
      ['ingest', notes, '--json', '--max-seconds-per-file', '0.001'],
      work,
    ).done;
    const timed = (JSON.parse(slow.stdout) as IngestReport).files.filter(
      (f) => f.status === 'failed',
    );
    assert.ok(
      timed.some((f) => /longer than 0.001 s/.test(f.reason!)),
      slow.stdout,
    );

    const bad = await spawnMmrag(['ingest', notes, '--max-file-mb', 'lots'], work).done;
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-file-mb must be a positive number/);
  });
});
