/**
 * OCR with the real tesseract.js model (English, offline): words and where they are on
 * pictures and scanned PDF pages, pictures without text, and silence on stdout and stderr.
 * One recogniser serves every test; each recognition takes well under a second.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { DEFAULT_EXTRACT_LIMITS, type ExtractContext } from '../src/extract/extractor.js';
import { imageExtractor } from '../src/extract/image/index.js';
import { pdfExtractor } from '../src/extract/pdf/index.js';
import { createTesseractRecognizer } from '../src/models/tesseract/text-recognizer.js';
import type { BoundingBox } from '../src/types.js';
import { photoLikePng, sidewaysJpeg, textPng } from './helpers/docs-visual-images.js';
import { scannedPdf, textPdf } from './helpers/docs-visual-pdfs.js';

const recognizer = createTesseractRecognizer();
const context: ExtractContext = { recognizer, wantImages: true, limits: DEFAULT_EXTRACT_LIMITS };
let dir: string;

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mmrag-'));
});

after(async () => {
  await recognizer.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});

async function asFile(name: string, bytes: Uint8Array): Promise<{ path: string; bytes: Buffer }> {
  const file = path.join(dir, name);
  await fs.writeFile(file, bytes);
  return { path: file, bytes: await fs.readFile(file) };
}

function centre([x0, y0, x1, y1]: BoundingBox): [number, number] {
  return [(x0 + x1) / 2, (y0 + y1) / 2];
}

describe('tesseract recogniser', () => {
  test('reads words with confidence and boxes as fractions of the picture', async () => {
    // The text sits in the lower right quarter of the picture.
    const png = await textPng({
      lines: ['INVOICE 4711 Acme'],
      width: 1200,
      height: 800,
      origin: [640, 600],
      fontSize: 48,
    });
    const result = await recognizer.recognize(png);
    assert.equal(recognizer.id, 'tesseract.js/eng');
    assert.match(result.text, /INVOICE 4711 Acme/);
    assert.ok(result.confidence > 80, `confidence ${result.confidence}`);

    const invoice = result.words.find((word) => word.text === 'INVOICE');
    assert.ok(invoice, result.words.map((word) => word.text).join(' '));
    const [x, y] = centre(invoice.bbox);
    assert.ok(x > 0.55 && x < 0.75 && y > 0.68 && y < 0.78, `INVOICE at ${x},${y}`);
    assert.equal(result.lines.length, 1);
    assert.ok(result.lines[0]!.bbox[0] > 0.5 && result.lines[0]!.bbox[2] < 1);
  });
});

describe('imageExtractor with OCR', () => {
  test('an EXIF-rotated photo of text reads the right way up', async () => {
    const jpeg = await sidewaysJpeg({ lines: ['INVOICE 4711', 'Acme Corporation'], width: 900 });
    const file = await asFile('phone.jpg', jpeg);
    const result = await imageExtractor.extract(
      { ...file, type: { modality: 'image', mime: 'image/jpeg' } },
      context,
    );

    const [picture, ...texts] = result.segments;
    assert.equal(picture!.kind, 'image');
    assert.ok(picture!.image!.width > picture!.image!.height, 'upright, so wider than tall');
    const ocr = texts.map((segment) => segment.text).join('\n');
    assert.match(ocr, /INVOICE 4711/);
    assert.match(ocr, /Acme Corporation/);
    for (const segment of texts) {
      assert.equal(segment.kind, 'ocr');
      const [x0, y0, x1, y1] = segment.locator.bbox!;
      assert.ok(0 <= x0 && x0 < x1 && x1 <= 1 && 0 <= y0 && y0 < y1 && y1 <= 1);
    }
  });

  test('a picture without text gives the picture and no OCR segments', async () => {
    const file = await asFile('landscape.png', await photoLikePng());
    const result = await imageExtractor.extract(
      { ...file, type: { modality: 'image', mime: 'image/png' } },
      context,
    );
    assert.deepEqual(
      result.segments.map((segment) => segment.kind),
      ['image'],
    );
  });
});

describe('pdfExtractor with OCR', () => {
  test("a scanned page's words are found by OCR, with page and box", async () => {
    const scan = await textPng({
      lines: ['INVOICE 4711', 'Acme Corporation'],
      width: 1240,
      height: 1754,
      origin: [120, 260],
      fontSize: 60,
    });
    const file = await asFile('scan.pdf', await scannedPdf([scan]));
    const result = await pdfExtractor.extract(
      { ...file, type: { modality: 'pdf', mime: 'application/pdf' } },
      { ...context, wantImages: false },
    );

    assert.ok(result.segments.length > 0);
    for (const segment of result.segments) {
      assert.equal(segment.kind, 'ocr');
      assert.equal(segment.locator.page, 1);
    }
    const text = result.segments.map((segment) => segment.text).join('\n');
    assert.match(text, /INVOICE 4711/);
    assert.match(text, /Acme Corporation/);
    const [, y] = centre(result.segments[0]!.locator.bbox!);
    assert.ok(y < 0.25, `the first line is near the top, at ${y}`);
    assert.ok(
      result.notes.some((note) => /Page 1 was OCR'd/.test(note)),
      result.notes.join(),
    );
  });

  test("text-layer pages are not OCR'd", async () => {
    const file = await asFile('report.pdf', await textPdf([['A page with a real text layer']]));
    const result = await pdfExtractor.extract(
      { ...file, type: { modality: 'pdf', mime: 'application/pdf' } },
      { ...context, wantImages: false },
    );
    assert.deepEqual(
      result.segments.map((segment) => segment.kind),
      ['body'],
    );
    assert.deepEqual(result.notes, []);
  });
});

describe('silence', () => {
  test('OCR and PDF extraction print nothing on stdout or stderr', async () => {
    const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
    const script = path.join(dir, 'quiet.ts');
    const scanPath = path.join(dir, 'quiet-scan.pdf');
    const png = await textPng({ lines: ['Quiet please'], width: 1240, height: 1754 });
    await fs.writeFile(scanPath, await scannedPdf([png]));
    const source = (name: string) => JSON.stringify(path.join(root, 'src', name));
    await fs.writeFile(
      script,
      `import fs from 'node:fs';
import { DEFAULT_EXTRACT_LIMITS } from ${source('extract/extractor.ts')};
import { pdfExtractor } from ${source('extract/pdf/index.ts')};
import { createTesseractRecognizer } from ${source('models/tesseract/text-recognizer.ts')};
const recognizer = createTesseractRecognizer();
const bytes = fs.readFileSync(${JSON.stringify(scanPath)});
const input = { path: 'scan.pdf', bytes, type: { modality: 'pdf', mime: 'application/pdf' } };
const context = { recognizer, wantImages: true, limits: DEFAULT_EXTRACT_LIMITS };
pdfExtractor.extract(input, context).then(async (result) => {
  await recognizer.dispose();
  if (!result.segments.some((s) => /Quiet/.test(s.text ?? ''))) process.exitCode = 3;
});
`,
    );

    const run = promisify(execFile);
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
    });
    assert.equal(stdout, '');
    assert.equal(stderr, '');
  });
});
