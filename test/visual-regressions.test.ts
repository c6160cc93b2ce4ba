/**
 * Regressions a user found on real files in the visual pipeline: OCR that dropped correctly
 * read monospace words, PDF boxes that covered the whole page, SVG indexed as text, and a
 * wordless query picture under the lite set that returned junk.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import sharp from 'sharp';

import { MmragError } from '../src/errors.js';
import { DEFAULT_EXTRACT_LIMITS, type ExtractContext } from '../src/extract/extractor.js';
import { imageExtractor, ocrPieces, plausibleToken } from '../src/extract/image/index.js';
import { pdfExtractor } from '../src/extract/pdf/index.js';
import { createEngine } from '../src/index.js';
import type { Recognition } from '../src/models/roles.js';
import { createTesseractRecognizer } from '../src/models/tesseract/text-recognizer.js';
import { sniffType } from '../src/sources/sniff.js';
import type { BoundingBox } from '../src/types.js';
import { textSvg } from './helpers/docs-visual-images.js';
import { scannedPdf, textPdf } from './helpers/docs-visual-pdfs.js';
import { FIXTURE_MODEL_SET, fixtureEngineOptions } from './helpers/e2e-fixture-models.js';

const recognizer = createTesseractRecognizer();
const ocr: ExtractContext = { recognizer, wantImages: false, limits: DEFAULT_EXTRACT_LIMITS };
let dir: string;

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mmrag-visual-'));
});

after(async () => {
  await recognizer.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});

const CODE_LINES = [
  'dns.lookup(hostname[, options], callback)',
  'dnsPromises.lookupService(address, port)',
  'dns.resolveCname(hostname, callback)',
  'dns.resolveMx(hostname, callback)',
  'The dns.lookup() method uses the operating system facilities.',
];

/** A web page's code listing: grey background, dark monospace text at 15 px. */
function codeScreenshotSvg(lines: string[], fontSize = 15): string {
  const step = Math.round(fontSize * 1.6);
  const texts = lines
    .map(
      (line, i) =>
        `<text x="20" y="${30 + i * step}" font-family="DejaVu Sans Mono" font-size="${fontSize}" fill="#333333">${line}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="${40 + lines.length * step}"><rect width="100%" height="100%" fill="#f6f6f6"/>${texts}</svg>`;
}

async function codeScreenshotPng(): Promise<Buffer> {
  return sharp(Buffer.from(codeScreenshotSvg(CODE_LINES)))
    .png()
    .toBuffer();
}

async function write(name: string, bytes: Uint8Array | string): Promise<string> {
  const file = path.join(dir, name);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, bytes);
  return file;
}

async function extractImage(name: string, bytes: Uint8Array | string, mime = 'image/png') {
  const file = await write(name, bytes);
  const input = { path: file, bytes: await fs.readFile(file), type: { modality: 'image', mime } };
  return imageExtractor.extract(input as Parameters<typeof imageExtractor.extract>[0], ocr);
}

async function extractPdf(name: string, bytes: Uint8Array, context: ExtractContext) {
  const file = await write(name, bytes);
  return pdfExtractor.extract(
    {
      path: file,
      bytes: await fs.readFile(file),
      type: { modality: 'pdf', mime: 'application/pdf' },
    },
    context,
  );
}

/** A recognition as Tesseract would give it, one line per entry, words spread along it. */
function recognition(lines: Array<{ words: string[]; confidence: number }>): Recognition {
  const out: Recognition = { text: '', confidence: 0, lines: [], words: [] };
  lines.forEach((line, i) => {
    const y0 = 0.1 + i * 0.05;
    const box: BoundingBox = [0.05, y0, 0.05 + line.words.length * 0.1, y0 + 0.03];
    out.lines.push({ text: line.words.join(' '), bbox: box, confidence: line.confidence });
    line.words.forEach((word, j) => {
      const x0 = 0.05 + j * 0.1;
      out.words.push({ text: word, bbox: [x0, y0, x0 + 0.09, y0 + 0.03], confidence: 5 });
    });
  });
  return out;
}

describe('OCR keeps words that read like print, whatever their confidence', () => {
  test('a screenshot of monospace code keeps every line', async () => {
    const result = await extractImage('dns-docs.png', await codeScreenshotPng());
    const text = result.segments.map((segment) => segment.text).join('\n');
    assert.match(text, /hostname\[, options\], callback\)/);
    assert.match(text, /dnsPromises\.lookupService/);
    assert.match(text, /resolveCname/);
    assert.match(text, /resolveMx/);
    assert.match(text, /operating system facilities/);
  });

  test('an image-only PDF of code keeps its flags and names', async () => {
    // A page printed from a browser: 15-pixel code, scanned at screen resolution.
    const png = await sharp(
      Buffer.from(
        codeScreenshotSvg([...CODE_LINES, 'node --strict asn1Decoding.js', 'openssl asn1parse']),
      ),
    )
      .png()
      .toBuffer();
    const result = await extractPdf('code-scan.pdf', await scannedPdf([png]), ocr);
    const text = result.segments.map((segment) => segment.text).join('\n');
    assert.match(text, /--strict/);
    assert.match(text, /asn[1l]Decoding/);
    assert.match(text, /asn[1l]parse/);
    assert.match(text, /lookupService/);
  });

  test('low-confidence lines are judged by their words: code stays, texture goes', () => {
    const pieces = ocrPieces(
      recognition([
        { words: ['dnsPromises.lookupService(address,', 'port)'], confidence: 12 },
        { words: ['3RRRRRRRRRRRRRR', 'Fopooooc00c0ppe0e00e0ne0e', 'RE)'], confidence: 26 },
        { words: ['§', 'EY', '3', 'Zl', 'ag', 'gle', 'Sn'], confidence: 37 },
        { words: ['H', 'TETIXE', 'H', 'TREE', 'Bane'], confidence: 38 },
      ]),
    );
    assert.deepEqual(
      pieces.map((piece) => piece.text),
      ['dnsPromises.lookupService(address, port)'],
    );
    assert.ok(plausibleToken('asn1Decoding'));
    assert.ok(!plausibleToken('Bfprazgpaasizaliasazagsyy,'));
  });

  test('bullets read as lone marks at the start of a line are dropped', () => {
    const pieces = ocrPieces(
      recognition([
        { words: ['=', 'Install', 'the', 'package'], confidence: 90 },
        { words: ['¥', 'Run', 'the', 'tests'], confidence: 90 },
      ]),
    );
    assert.deepEqual(
      pieces.map((piece) => piece.text),
      ['Install the package\nRun the tests'],
    );
  });
});

describe('search by a screenshot and by its words', () => {
  test('the words of a code screenshot find it, and its query reading agrees', async () => {
    const library = path.join(dir, 'library-full');
    const shot = await write('library-full/dns-docs.png', await codeScreenshotPng());
    await write('library-full/notes.md', '# DNS\n\nThe dns module resolves host names.\n');
    const engine = await createEngine(await fixtureEngineOptions(path.join(dir, 'index-full')));
    try {
      await engine.ingest([library]);
      for (const query of ['dns.lookupService', 'lookupService', 'resolveMx']) {
        const { results } = await engine.search(query);
        assert.equal(results[0]?.path, shot, query);
      }
    } finally {
      await engine.close();
    }
  });

  test('under the lite set, a query picture is read by the indexing rule', async () => {
    const library = path.join(dir, 'library-lite');
    const shot = await write('library-lite/dns-docs.png', await codeScreenshotPng());
    const icon = await sharp({
      create: { width: 32, height: 32, channels: 3, background: '#ffffff' },
    })
      .composite([
        {
          input: Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><circle cx="16" cy="16" r="10" fill="#e33"/><rect x="13" y="4" width="6" height="24" fill="#222"/></svg>',
          ),
        },
      ])
      .png()
      .toBuffer();
    const options = await fixtureEngineOptions(path.join(dir, 'index-lite'));
    const engine = await createEngine({
      ...options,
      models: { ...FIXTURE_MODEL_SET, vision: null },
    });
    try {
      await engine.ingest([library]);
      const found = await engine.search({ image: await codeScreenshotPng() });
      assert.match(found.imageText ?? '', /dnsPromises\.lookupService/);
      assert.equal(found.results[0]?.path, shot);

      await assert.rejects(engine.search({ image: icon }), (error: unknown) => {
        assert.ok(MmragError.isInstance(error), String(error));
        assert.equal(error.code, 'USAGE');
        assert.match(error.message, /No words were found in the picture/);
        assert.match(error.message, /--models full/);
        return true;
      });
    } finally {
      await engine.close();
    }
  });
});

describe('PDF text boxes point at their paragraph', () => {
  const sentence = 'Revenue grew in every region while costs stayed flat';
  const first = Array.from({ length: 8 }, (_, i) => `${sentence} (${i + 1})`);
  const second = Array.from({ length: 8 }, (_, i) => `Zebras crossed the river at dawn (${i + 1})`);

  test('paragraphs apart on a page become segments with their own boxes', async () => {
    const bytes = await textPdf([[...first, '', '', ...second]]);
    const result = await extractPdf('report.pdf', bytes, { ...ocr, recognizer: undefined });
    const bodies = result.segments.filter((segment) => segment.kind === 'body');
    assert.equal(bodies.length, 2);
    assert.deepEqual(
      bodies.map((segment) => segment.locator.page),
      [1, 1],
    );
    assert.equal(bodies[0]!.text, first.join('\n'));
    assert.equal(bodies[1]!.text, second.join('\n'));

    const [a, b] = bodies.map((segment) => segment.locator.bbox!);
    assert.ok(a![3] < b![1], `the first box ends (${a![3]}) above the second (${b![1]})`);
    assert.ok(a![3] - a![1] < 0.35 && b![3] - b![1] < 0.35, 'neither box covers the page');
  });

  test('a short heading joins the paragraph below it, and the box covers both', async () => {
    const bytes = await textPdf([['Quarterly report', '', '', ...second]]);
    const result = await extractPdf('heading.pdf', bytes, { ...ocr, recognizer: undefined });
    const bodies = result.segments.filter((segment) => segment.kind === 'body');
    assert.equal(bodies.length, 1);
    assert.equal(bodies[0]!.text, `Quarterly report\n\n${second.join('\n')}`);
    const [, y0, , y1] = bodies[0]!.locator.bbox!;
    assert.ok(y0 < 0.15 && y1 > 0.3, `box ${y0}..${y1} spans heading and paragraph`);
  });
});

describe('SVG is a picture', () => {
  const svg = textSvg({ lines: ['Dependency graph', 'parser depends on lexer'], fontSize: 40 });

  test('sniffed as image/svg+xml with or without a prolog; HTML with inline SVG stays HTML', async () => {
    const types = await Promise.all([
      sniffType(Buffer.from(svg), 'graph.svg'),
      sniffType(Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`), 'graph.svg'),
      sniffType(Buffer.from(`<!-- made by hand -->\n${svg}`), 'graph.txt'),
      sniffType(Buffer.from(`<!doctype html><html><body>${svg}</body></html>`), 'page.html'),
    ]);
    assert.deepEqual(
      types.map((type) => type?.mime),
      ['image/svg+xml', 'image/svg+xml', 'image/svg+xml', 'text/html'],
    );
    assert.equal(types[0]?.modality, 'image');
  });

  test('an SVG is drawn, OCR finds its words, and it gets a picture segment', async () => {
    const file = await write('images/dependencies.svg', svg);
    const input = {
      path: file,
      bytes: await fs.readFile(file),
      type: { modality: 'image' as const, mime: 'image/svg+xml' },
    };
    const result = await imageExtractor.extract(input, { ...ocr, wantImages: true });
    assert.equal(result.segments[0]?.kind, 'image');
    const text = result.segments.map((segment) => segment.text ?? '').join('\n');
    assert.match(text, /Dependency graph/);
    assert.match(text, /parser depends on lexer/);
    assert.doesNotMatch(text, /tspan|<text/);
  });

  test('a huge stated size is drawn within the pixel limit; a broken SVG is FILE_CORRUPT', async () => {
    const huge =
      '<svg xmlns="http://www.w3.org/2000/svg" width="40000" height="40000"><rect width="100%" height="100%" fill="#36c"/></svg>';
    const context = { ...ocr, recognizer: undefined, wantImages: true };
    const file = await write('huge.svg', huge);
    const input = {
      path: file,
      bytes: await fs.readFile(file),
      type: { modality: 'image' as const, mime: 'image/svg+xml' },
    };
    const drawn = await imageExtractor.extract(input, context);
    assert.equal(drawn.segments[0]?.kind, 'image');

    await assert.rejects(
      extractImage(
        'broken.svg',
        '<svg xmlns="http://www.w3.org/2000/svg" width="10"><rect',
        'image/svg+xml',
      ),
      (error: unknown) => MmragError.isInstance(error) && error.code === 'FILE_CORRUPT',
    );
  });
});
