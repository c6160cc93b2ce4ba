/**
 * End to end: a folder with a file of every modality is ingested through the engine, and
 * queries in each modality must bring the right file and place in it first.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { createEngine, type Engine } from '../src/index.js';
import { textPng } from './helpers/docs-visual-images.js';
import { scannedPdf, textPdf } from './helpers/docs-visual-pdfs.js';
import { fixtureEngineOptions } from './helpers/e2e-fixture-models.js';
import { silence, synthesizeSpeech, writeWav } from './helpers/speech-tones.js';

async function solidPng(rgb: [number, number, number]): Promise<Buffer> {
  const [r, g, b] = rgb;
  return sharp({ create: { width: 96, height: 64, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
}

/** Writes the mixed folder and returns its path. */
async function makeLibrary(root: string): Promise<string> {
  const dir = join(root, 'library');
  for (const sub of ['notes', 'web', 'docs', 'images', 'audio']) {
    await mkdir(join(dir, sub), { recursive: true });
  }

  await writeFile(
    join(dir, 'notes', 'wrist.md'),
    '# Radiology\n\n## Findings\n\nThe x-ray of the left wrist shows a small fracture of the ' +
      'distal radius.\n\n## Plan\n\nA cast for six weeks, then a follow-up visit.\n',
  );
  await writeFile(
    join(dir, 'web', 'handbook.html'),
    '<!doctype html><html><head><title>Handbook</title><script>var tracking = 1;</script>' +
      '</head><body><h1>Office handbook</h1><h2>Kitchen</h2><p>The espresso machine is ' +
      'descaled every Friday.</p></body></html>',
  );
  await writeFile(
    join(dir, 'docs', 'report.pdf'),
    await textPdf([
      ['Quarterly report', 'Revenue grew twelve percent.'],
      [],
      ['Outlook', 'Next quarter we expect strong sales of umbrellas.'],
    ]),
  );
  await writeFile(
    join(dir, 'docs', 'scan.pdf'),
    await scannedPdf([await textPng({ lines: ['INVOICE 4711', 'Acme Widgets'] })]),
  );
  await writeFile(
    join(dir, 'images', 'parking.png'),
    await textPng({ lines: ['Parking permit', 'Garage level two'] }),
  );
  await writeFile(join(dir, 'images', 'red.png'), await solidPng([220, 30, 30]));
  await writeFile(join(dir, 'images', 'blue.png'), await solidPng([30, 40, 220]));

  // Two phrases, the second after half a minute, so times past one window are checked too.
  const speech = Float32Array.from([
    ...silence(1),
    ...synthesizeSpeech(['weather', 'podcast', 'morning']),
    ...silence(38),
    ...synthesizeSpeech(['budget', 'meeting', 'tuesday']),
    ...silence(1),
  ]);
  await writeWav(join(dir, 'audio', 'standup.wav'), [speech], 16000, 16);
  return dir;
}

describe('ingest and search across modalities', () => {
  let engine: Engine;
  let library: string;

  before(async () => {
    const root = await mkdtemp(join(tmpdir(), 'mmrag-e2e-'));
    library = await makeLibrary(root);
    engine = await createEngine(await fixtureEngineOptions(join(root, 'index')));
    const report = await engine.ingest([library]);
    assert.equal(report.counts.failed, 0, JSON.stringify(report.files, null, 2));
    assert.equal(report.counts.indexed, 8);
  });

  after(async () => {
    await engine?.close();
  });

  test('a text question finds the Markdown section, with its heading path', async () => {
    const { results } = await engine.search('x-ray of the left wrist fracture');
    const top = results[0]!;
    assert.equal(top.path, join(library, 'notes', 'wrist.md'));
    assert.deepEqual(top.locator.headingPath, ['Radiology', 'Findings']);
    assert.ok(top.snippet.includes('left wrist'));
  });

  test('HTML text is found, and its scripts are not indexed', async () => {
    const { results } = await engine.search('espresso machine descaled');
    assert.equal(results[0]?.path, join(library, 'web', 'handbook.html'));
    const tracking = await engine.search('tracking', { modalities: ['text'] });
    assert.ok(tracking.results.every((hit) => !hit.snippet.includes('tracking')));
  });

  test('a PDF text layer keeps true page numbers after a blank page', async () => {
    const { results } = await engine.search('sales of umbrellas');
    assert.equal(results[0]?.path, join(library, 'docs', 'report.pdf'));
    assert.equal(results[0]?.locator.page, 3);
  });

  test('words in a scanned PDF are found through OCR, with the page', async () => {
    const { results } = await engine.search('invoice acme widgets');
    const top = results[0]!;
    assert.equal(top.path, join(library, 'docs', 'scan.pdf'));
    assert.equal(top.kind, 'ocr');
    assert.equal(top.locator.page, 1);
    assert.ok(top.locator.bbox);
  });

  test('words printed in a picture find that picture, with the box', async () => {
    const { results } = await engine.search('parking permit garage');
    const top = results[0]!;
    assert.equal(top.path, join(library, 'images', 'parking.png'));
    assert.equal(top.kind, 'ocr');
    const [x0, y0, x1, y1] = top.locator.bbox!;
    assert.ok(x0 < x1 && y0 < y1 && x1 <= 1 && y1 <= 1);
  });

  test('a colour word finds the picture of that colour', async () => {
    const { results } = await engine.search('red', { modalities: ['image'] });
    assert.equal(results[0]?.path, join(library, 'images', 'red.png'));
    assert.equal(results[0]?.kind, 'image');
  });

  test('a picture as the query finds the most similar picture', async () => {
    const { results } = await engine.search(
      { image: await solidPng([200, 50, 40]) },
      { modalities: ['image'] },
    );
    assert.equal(results[0]?.path, join(library, 'images', 'red.png'));
  });

  test('a question finds the moment of a recording', async () => {
    const { results } = await engine.search('budget meeting', { modalities: ['audio'] });
    const top = results[0]!;
    assert.equal(top.path, join(library, 'audio', 'standup.wav'));
    assert.equal(top.kind, 'transcript');
    assert.ok(top.locator.start! > 35 && top.locator.end! < 46, JSON.stringify(top.locator));
    assert.match(top.snippet, /budget meeting/);
  });

  test('filters by path prefix and modality apply to every retriever', async () => {
    const { results } = await engine.search('report', { pathPrefixes: [join(library, 'notes')] });
    assert.ok(results.length > 0);
    assert.ok(results.every((hit) => hit.path.startsWith(join(library, 'notes'))));
  });

  test('ingesting the same folder again changes nothing and says so', async () => {
    const report = await engine.ingest([library]);
    assert.equal(report.counts.indexed, 0);
    assert.equal(report.counts.unchanged, 8);
  });

  test('status counts files per modality', async () => {
    const status = await engine.status();
    assert.deepEqual(status.files, { text: 2, pdf: 2, image: 3, audio: 1 });
    assert.ok(status.segments.text > 0 && status.segments.vision > 0);
  });
});
