/**
 * Media for segments in the index, and only those: the original file (with HTTP Range, so an
 * audio player can seek), the stored thumbnail, and a PDF page rendered on request. The client
 * names a segment id; the path comes from the index, never from the request.
 */
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import type { IndexedSegment } from '../../engine.js';
import { openPdf, renderPage } from '../../extract/pdf/index.js';
import { fsPathFromDisplay, sniffType } from '../../sources/index.js';
import { HttpError, notFound } from './http-error.js';

/** Enough of the start of a file for `sniffType` to tell every type apart. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Media is served as data, never as a page of this site: an indexed HTML file must not run
 * scripts with the server's origin, so it goes out as plain text in a sandbox.
 */
const SAFE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "sandbox; default-src 'none'; img-src data:; media-src 'self'",
  'Cache-Control': 'private, max-age=300',
};

/** The first indexed path of the segment's content that still opens. */
async function existingFile(indexed: IndexedSegment): Promise<{ path: Buffer; size: number }> {
  for (const path of indexed.paths) {
    const bytes = fsPathFromDisplay(path);
    const info = await stat(bytes).catch(() => undefined);
    if (info?.isFile()) return { path: bytes, size: info.size };
  }
  throw notFound('The file of this segment');
}

async function contentType(path: Buffer, display: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    const sniffed = await sniffType(buffer.subarray(0, bytesRead), display);
    if (!sniffed) return 'application/octet-stream';
    if (sniffed.modality === 'text') return 'text/plain; charset=utf-8';
    return sniffed.mime;
  } finally {
    await handle.close();
  }
}

/** One byte range of `bytes=a-b`, `bytes=a-` or `bytes=-n`; undefined to send the whole file. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = header?.match(/^bytes=(\d*)-(\d*)$/);
  if (!match) return undefined; // absent, several ranges, or another unit: the whole file
  const [, first, last] = match;
  if (first === '' && last === '') return undefined;

  let start: number;
  let end: number;
  if (first === '') {
    start = Math.max(0, size - Number(last));
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

export async function fileResponse(indexed: IndexedSegment, range?: string): Promise<Response> {
  const file = await existingFile(indexed);
  const type = await contentType(file.path, indexed.paths[0] ?? '');
  const headers: Record<string, string> = {
    ...SAFE_HEADERS,
    'Content-Type': type,
    'Accept-Ranges': 'bytes',
  };

  const wanted = parseRange(range, file.size);
  if (wanted === 'unsatisfiable') {
    return new Response(null, {
      status: 416,
      headers: { ...headers, 'Content-Range': `bytes */${file.size}` },
    });
  }
  const { start, end } = wanted ?? { start: 0, end: file.size - 1 };
  const length = Math.max(0, end - start + 1);
  headers['Content-Length'] = String(length);
  if (wanted) headers['Content-Range'] = `bytes ${start}-${end}/${file.size}`;

  const body =
    length === 0
      ? null
      : (Readable.toWeb(createReadStream(file.path, { start, end })) as ReadableStream);
  return new Response(body, { status: wanted ? 206 : 200, headers });
}

export function thumbnailResponse(bytes: Uint8Array): Response {
  return new Response(new Uint8Array(bytes), {
    headers: { ...SAFE_HEADERS, 'Content-Type': 'image/webp' },
  });
}

/** Rendered pages, newest last; a result grid asks for the same pages again and again. */
const pageCache = new Map<string, Uint8Array<ArrayBuffer>>();
const PAGE_CACHE_SIZE = 32;

export async function pageResponse(indexed: IndexedSegment, width = 1000): Promise<Response> {
  const { segment } = indexed;
  if (segment.modality !== 'pdf' || segment.locator.page === undefined) {
    throw new HttpError(404, 'NOT_FOUND', 'This segment is not on a PDF page.');
  }
  const key = `${segment.id}:${width}`;
  let png = pageCache.get(key);
  if (!png) {
    png = await renderPdfPage(indexed, segment.locator.page, width);
    pageCache.set(key, png);
    if (pageCache.size > PAGE_CACHE_SIZE) pageCache.delete(pageCache.keys().next().value!);
  }
  return new Response(png, { headers: { ...SAFE_HEADERS, 'Content-Type': 'image/png' } });
}

async function renderPdfPage(indexed: IndexedSegment, pageNumber: number, width: number) {
  const file = await existingFile(indexed);
  const doc = await openPdf(new Uint8Array(await readFile(file.path)), indexed.paths[0] ?? '');
  try {
    if (pageNumber < 1 || pageNumber > doc.numPages) throw notFound('The page');
    const page = await doc.getPage(pageNumber);
    try {
      const image = await renderPage(doc, page, { longestSide: width });
      const raw = { width: image.width, height: image.height, channels: 3 as const };
      return new Uint8Array(await sharp(image.data, { raw }).png().toBuffer());
    } finally {
      page.cleanup();
    }
  } finally {
    await doc.destroy();
  }
}
