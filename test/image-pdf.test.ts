/**
 * Images and PDFs without OCR: decoding and normalising every common picture layout, the PDF
 * text layer with true page numbers, page pictures, and the errors a user's odd files cause.
 * OCR paths are in ocr.test.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import sharp from 'sharp';

import { MmragError } from '../src/errors.js';
import { DEFAULT_EXTRACT_LIMITS, type ExtractContext } from '../src/extract/extractor.js';
import { imageExtractor, normalizeImage } from '../src/extract/image/index.js';
import { pageText, pdfExtractor } from '../src/extract/pdf/index.js';
import type { ExtractedSegment, RgbImage } from '../src/types.js';
import {
  photoLikePng,
  pictureVariants,
  sidewaysJpeg,
  textPng,
  truncatedJpeg,
} from './helpers/docs-visual-images.js';
import { encryptPdf, scannedPdf, textPdf } from './helpers/docs-visual-pdfs.js';

let dir: string;

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mmrag-'));
});

after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Writes the input to the temp folder and reads it back, as the engine would get it. */
async function asFile(name: string, bytes: Uint8Array): Promise<{ path: string; bytes: Buffer }> {
  const file = path.join(dir, name);
  await fs.writeFile(file, bytes);
  return { path: file, bytes: await fs.readFile(file) };
}

const noModels: ExtractContext = { wantImages: false, limits: DEFAULT_EXTRACT_LIMITS };
const withImages: ExtractContext = { wantImages: true, limits: DEFAULT_EXTRACT_LIMITS };

function meanDifference(a: RgbImage, b: RgbImage): number {
  assert.equal(a.data.length, b.data.length);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

function isWebp(bytes: Uint8Array | undefined): boolean {
  if (!bytes) return false;
  const header = Buffer.from(bytes.subarray(0, 12)).toString('latin1');
  return header.startsWith('RIFF') && header.endsWith('WEBP');
}

async function expectCode(promise: Promise<unknown>, code: string, message?: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(MmragError.isInstance(error), `expected an MmragError, got ${error}`);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  });
}

async function extractPdfFile(name: string, bytes: Uint8Array, context = noModels) {
  const file = await asFile(name, bytes);
  return pdfExtractor.extract(
    { ...file, type: { modality: 'pdf', mime: 'application/pdf' } },
    context,
  );
}

function textOf(segments: ExtractedSegment[], page: number): string {
  return segments
    .filter((segment) => segment.locator.page === page && segment.text)
    .map((segment) => segment.text)
    .join('\n');
}

describe('normalizeImage', () => {
  test('every colour layout becomes 8-bit sRGB with 3 channels, alpha on white', async () => {
    const png = await textPng({ lines: ['Colour test'], transparent: true });
    const variants = await pictureVariants(png);
    const reference = (await normalizeImage(variants.rgbPng, { maxPixels: 1e8 })).image;

    for (const [name, bytes] of Object.entries(variants)) {
      const file = await asFile(name, bytes);
      const { image, thumbnail } = await normalizeImage(file.bytes, { maxPixels: 1e8 });
      assert.equal(image.width, reference.width, name);
      assert.equal(image.height, reference.height, name);
      assert.equal(image.data.length, image.width * image.height * 3, `${name}: 3 channels`);
      // The corner is background: white, also where the original was transparent.
      assert.deepEqual([...image.data.subarray(0, 3)], [255, 255, 255], `${name}: white corner`);
      assert.ok(meanDifference(image, reference) < 4, `${name}: same picture as the RGB copy`);
      assert.ok(isWebp(thumbnail), `${name}: WebP thumbnail`);
    }
  });

  test('grayscale and RGB copies of a picture normalise to nearly the same pixels', async () => {
    // A gray photo stored twice: as RGB with three equal channels, and as 1-channel grayscale.
    const gray = await sharp(await photoLikePng())
      .removeAlpha()
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const asRgb = await sharp(gray).toColourspace('srgb').png().toBuffer();
    const asGrayJpeg = await sharp(gray).jpeg({ quality: 95 }).toBuffer();
    assert.equal((await sharp(asRgb).metadata()).channels, 3);
    assert.equal((await sharp(gray).metadata()).channels, 1);

    const fromRgb = (await normalizeImage(asRgb, { maxPixels: 1e8 })).image;
    const fromGray = (await normalizeImage(gray, { maxPixels: 1e8 })).image;
    const fromGrayJpeg = (await normalizeImage(asGrayJpeg, { maxPixels: 1e8 })).image;
    assert.ok(meanDifference(fromRgb, fromGray) < 1, 'gray PNG vs RGB PNG');
    assert.ok(meanDifference(fromRgb, fromGrayJpeg) < 2, 'gray JPEG vs RGB PNG');
  });

  test('EXIF orientation is applied, so the size is the upright one', async () => {
    const jpeg = await sidewaysJpeg({ lines: ['Sideways'], width: 800, height: 200 });
    const { image, original } = await normalizeImage(jpeg, { maxPixels: 1e8 });
    assert.deepEqual([image.width, image.height], [800, 200]);
    assert.deepEqual(original, { width: 800, height: 200 });
  });

  test('large pictures are shrunk to the working size, small ones kept', async () => {
    const big = await textPng({ lines: ['Big'], width: 3000, height: 1000 });
    const { image, original } = await normalizeImage(big, { maxPixels: 1e8, maxSide: 1600 });
    assert.deepEqual([image.width, image.height], [1600, 533]);
    assert.deepEqual(original, { width: 3000, height: 1000 });
  });

  test('a truncated JPEG is FILE_CORRUPT with the decoder reason', async () => {
    const broken = await truncatedJpeg(await photoLikePng());
    await expectCode(normalizeImage(broken, { maxPixels: 1e8 }), 'FILE_CORRUPT', /premature end/i);
  });

  test('a picture over the pixel limit is refused before decoding', async () => {
    const png = await photoLikePng();
    await expectCode(
      normalizeImage(png, { maxPixels: 100_000, subject: 'photo.png' }),
      'LIMIT_EXCEEDED',
      /640×480/,
    );
  });

  test('an unknown format is FILE_UNSUPPORTED, no bytes FILE_EMPTY', async () => {
    // A BMP header: a picture format, but one that sharp does not decode.
    const bmp = Buffer.concat([Buffer.from('BM'), Buffer.alloc(120)]);
    await expectCode(normalizeImage(bmp, { maxPixels: 1e8 }), 'FILE_UNSUPPORTED', /JPEG, PNG/);
    await expectCode(normalizeImage(new Uint8Array(0), { maxPixels: 1e8 }), 'FILE_EMPTY');
  });
});

describe('imageExtractor without OCR', () => {
  test('gives the normalised picture with a thumbnail when images are wanted', async () => {
    const file = await asFile('photo.png', await photoLikePng());
    const input = { ...file, type: { modality: 'image' as const, mime: 'image/png' } };

    const wanted = await imageExtractor.extract(input, withImages);
    assert.equal(wanted.modality, 'image');
    assert.equal(wanted.segments.length, 1);
    const [segment] = wanted.segments;
    assert.equal(segment!.kind, 'image');
    assert.deepEqual(segment!.locator, {});
    assert.deepEqual([segment!.image!.width, segment!.image!.height], [640, 480]);
    assert.ok(isWebp(segment!.thumbnail));

    const unwanted = await imageExtractor.extract(input, noModels);
    assert.deepEqual(unwanted.segments, []);
  });
});

describe('pageText', () => {
  test('joins pieces on one baseline with spaces and breaks lines and paragraphs', () => {
    const page = { transform: [1, 0, 0, -1, 0, 800], width: 600, height: 800 };
    const at = (str: string, x: number, y: number, width: number, hasEOL = false) => ({
      str,
      transform: [12, 0, 0, 12, x, y],
      width,
      hasEOL,
    });
    const result = pageText(
      [
        at('Hello', 50, 700, 30),
        at('world', 86, 700, 32),
        at('second line', 50, 686, 60, true),
        at('after a gap', 50, 640, 60),
      ],
      page,
    );
    assert.equal(result.text, 'Hello world\nsecond line\n\nafter a gap');
    assert.equal(result.visibleChars, 'Helloworldsecondlineafteragap'.length);
    const [x0, y0, x1, y1] = result.bbox!;
    assert.ok(x0 > 0.08 && x0 < 0.09 && x1 > 0.19 && x1 < 0.21, `x ${x0}..${x1}`);
    assert.ok(y0 > 0.11 && y0 < 0.13 && y1 > 0.2 && y1 < 0.21, `y ${y0}..${y1}`);
  });
});

describe('pdfExtractor', () => {
  const pages = [
    ['Quarterly report for Acme', 'Revenue grew by twelve percent'],
    [],
    ['The third page is about zebras'],
  ];

  test('reads the text layer with true page numbers across a blank page', async () => {
    const result = await extractPdfFile('report.pdf', await textPdf(pages));
    assert.equal(result.modality, 'pdf');
    assert.deepEqual(
      result.segments.map((segment) => [segment.kind, segment.locator.page]),
      [
        ['body', 1],
        ['body', 3],
      ],
    );
    assert.equal(
      textOf(result.segments, 1),
      'Quarterly report for Acme\nRevenue grew by twelve percent',
    );
    assert.equal(textOf(result.segments, 3), 'The third page is about zebras');

    // The text sits in the upper left of an A4 page.
    const [x0, y0, x1, y1] = result.segments[0]!.locator.bbox!;
    assert.ok(x0 > 0.1 && x0 < 0.15 && y0 > 0.08 && y0 < 0.15, `top left ${x0},${y0}`);
    assert.ok(x1 > 0.4 && x1 < 0.7 && y1 < 0.3, `bottom right ${x1},${y1}`);
  });

  test('renders every page as a picture with a thumbnail when images are wanted', async () => {
    const result = await extractPdfFile('report.pdf', await textPdf(pages), withImages);
    const images = result.segments.filter((segment) => segment.kind === 'image');
    assert.deepEqual(
      images.map((segment) => segment.locator.page),
      [1, 2, 3],
    );
    for (const image of images) {
      assert.equal(Math.max(image.image!.width, image.image!.height), 512);
      assert.ok(isWebp(image.thumbnail));
    }
    // The blank page renders white; the first page has dark text on it.
    assert.ok(images[1]!.image!.data.every((value) => value > 250));
    assert.ok(images[0]!.image!.data.some((value) => value < 100));
  });

  test('reads only the first maxPdfPages pages and says so', async () => {
    const limits = { ...DEFAULT_EXTRACT_LIMITS, maxPdfPages: 1 };
    const result = await extractPdfFile('report.pdf', await textPdf(pages), {
      ...noModels,
      limits,
    });
    assert.deepEqual(
      result.segments.map((segment) => segment.locator.page),
      [1],
    );
    assert.ok(
      result.notes.some((note) => /first 1 of 3 pages/.test(note)),
      result.notes.join(),
    );
  });

  test('a scan without an OCR model gives no text and a note saying why', async () => {
    const png = await textPng({ lines: ['Scanned words'], width: 1200, height: 1600 });
    const result = await extractPdfFile('scan.pdf', await scannedPdf([png]));
    assert.deepEqual(result.segments, []);
    assert.ok(
      result.notes.some((note) => /no OCR model/.test(note)),
      result.notes.join(),
    );
  });

  test('opens a PDF encrypted with an empty user password', async () => {
    const bytes = await encryptPdf(await textPdf(pages), { userPassword: '' });
    const result = await extractPdfFile('restricted.pdf', bytes);
    assert.equal(textOf(result.segments, 3), 'The third page is about zebras');
  });

  test('a PDF that needs a password is FILE_ENCRYPTED, not an empty success', async () => {
    const bytes = await encryptPdf(await textPdf(pages), { userPassword: 'hunter2' });
    await expectCode(extractPdfFile('secret.pdf', bytes), 'FILE_ENCRYPTED', /password-protected/);
  });

  test('random bytes are FILE_CORRUPT and an empty file FILE_EMPTY', async () => {
    const random = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
    await expectCode(extractPdfFile('random.pdf', random), 'FILE_CORRUPT', /cannot be opened/);
    await expectCode(extractPdfFile('empty.pdf', new Uint8Array(0)), 'FILE_EMPTY');
  });
});
