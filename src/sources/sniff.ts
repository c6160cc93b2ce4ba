/**
 * Decides what a file is from its bytes. A name can lie (a PNG saved as .pdf, random bytes
 * saved as .mp3); bytes do not, so the name only breaks ties between kinds of text.
 */
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { SniffedType } from '../extract/extractor.js';
import { bomEncoding, decodeText } from '../extract/text/decode-text.js';

/**
 * Binary types mmrag extracts, by the MIME type file-type reports. Video containers go to the
 * audio extractor, which indexes their sound track (ffmpeg reads them all).
 */
const BINARY_TYPES: Record<string, SniffedType['modality']> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'image',
  'image/gif': 'image',
  'image/tiff': 'image',
  'image/bmp': 'image',
  // sharp's HEIF decoder reads AV1 (AVIF), not the HEVC of HEIC.
  'image/avif': 'image',
  'audio/wav': 'audio',
  'audio/mpeg': 'audio',
  'audio/flac': 'audio',
  'audio/ogg': 'audio',
  'audio/opus': 'audio',
  'audio/mp4': 'audio',
  'audio/x-m4a': 'audio',
  'audio/aac': 'audio',
  'audio/aiff': 'audio',
  'video/mp4': 'audio',
  'video/x-m4v': 'audio',
  'video/quicktime': 'audio',
  'video/webm': 'audio',
  'video/matroska': 'audio',
  'video/ogg': 'audio',
};

/** How much of the start of a file the text checks read. */
const TEXT_SAMPLE_BYTES = 64 * 1024;

/** Share of control bytes above which bytes are not text (random bytes have about 11%). */
const MAX_CONTROL_RATIO = 0.01;

const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown', '.mdx', '.mkd', '.mdown']);
const HTML_EXTENSIONS = new Set(['.html', '.htm', '.xhtml']);

/** What the bytes are, or undefined for a binary type mmrag does not index. */
export async function sniffType(
  bytes: Uint8Array,
  filePath: string,
): Promise<SniffedType | undefined> {
  // A UTF-16 byte order mark (FF FE) also reads as an MPEG audio frame sync; text wins when
  // what follows the mark decodes to text.
  const sample = textSample(bytes);
  const textWithBom = bomEncoding(sample) !== undefined && looksLikeText(sample);

  const detected = textWithBom ? undefined : await fileTypeFromBuffer(bytes);
  if (detected) {
    const modality = BINARY_TYPES[detected.mime];
    if (modality) return { modality, mime: detected.mime };

    if (detected.mime === 'application/xml' && looksLikeSvg(bytes)) {
      return { modality: 'image', mime: 'image/svg+xml' };
    }
    // file-type also knows a few text formats (XML, vCard, WebVTT); those are read as text.
    const textual = detected.mime.startsWith('text/') || detected.mime === 'application/xml';
    if (!textual) return undefined;
  }

  if (!textWithBom && !looksLikeText(sample)) return undefined;

  // An SVG without an XML prolog is not recognised by file-type; it is a picture all the same.
  if (looksLikeSvg(sample)) return { modality: 'image', mime: 'image/svg+xml' };

  const text = decodeText(sample).text;
  const extension = path.extname(filePath).toLowerCase();
  if (looksLikeHtml(text, HTML_EXTENSIONS.has(extension))) {
    return { modality: 'text', mime: 'text/html' };
  }
  if (MARKDOWN_EXTENSIONS.has(extension) || looksLikeMarkdown(text)) {
    return { modality: 'text', mime: 'text/markdown' };
  }
  return { modality: 'text', mime: 'text/plain' };
}

/** The first bytes, cut back so a multi-byte UTF-8 character is not split at the end. */
function textSample(bytes: Uint8Array): Uint8Array {
  if (bytes.length <= TEXT_SAMPLE_BYTES) return bytes;
  let end = TEXT_SAMPLE_BYTES;
  while (end > TEXT_SAMPLE_BYTES - 4 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

/**
 * Text has (almost) no control bytes other than tab, line ends, form feed and escape. UTF-16 is
 * full of NULs, so it only counts as text with a byte order mark, checked on the decoded text.
 */
function looksLikeText(sample: Uint8Array): boolean {
  if (sample.length === 0) return true;

  const bom = bomEncoding(sample);
  if (bom && bom.encoding !== 'utf8') {
    const text = decodeText(sample).text;
    let control = 0;
    for (let i = 0; i < text.length; i++) {
      if (isControl(text.charCodeAt(i))) control++;
    }
    return control <= text.length * MAX_CONTROL_RATIO;
  }

  let control = 0;
  for (const byte of sample) {
    if (isControl(byte)) control++;
  }
  return control <= sample.length * MAX_CONTROL_RATIO;
}

function isControl(code: number): boolean {
  if (code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d || code === 0x1b) {
    return false;
  }
  return code < 0x20 || code === 0x7f;
}

/**
 * A document that opens with a doctype, `<html>`, `<head>` or `<body>` after any BOM, white space,
 * XML prolog and comments. A page named .html that only holds a fragment counts when it has tags.
 */
function looksLikeHtml(text: string, htmlName: boolean): boolean {
  const start = text.replace(/^(?:\uFEFF|\s+|<\?xml[^>]*\?>|<!--[\s\S]*?-->)*/, '');
  if (/^<(?:!doctype\s+html|html|head|body)[\s>/]/i.test(start)) return true;
  return (
    htmlName && /<(?:p|div|span|a|h[1-6]|ul|ol|table|br|img|section|article)[\s>/]/i.test(start)
  );
}

/**
 * SVG: an XML document whose root element is `<svg>`, after any BOM, prolog, doctype and
 * comments. An HTML page with inline `<svg>` is not one: its root is `<html>`.
 */
function looksLikeSvg(bytes: Uint8Array): boolean {
  const text = decodeText(textSample(bytes)).text;
  const start = text.replace(
    /^(?:\uFEFF|\s+|<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>)*/i,
    '',
  );
  return /^<(?:[\w-]+:)?svg[\s>/]/.test(start);
}

/** Clear Markdown structure: a heading and at least one other Markdown construct. */
function looksLikeMarkdown(text: string): boolean {
  const hasHeading = /^#{1,6}[ \t]+\S/m.test(text) || /^\S.*\n(?:=+|-+)[ \t]*$/m.test(text);
  const others = [
    /^```/m, // fenced code
    /^[ \t]*[-*+][ \t]+\S/m, // bullet list
    /^[ \t]*\d+\.[ \t]+\S/m, // numbered list
    /\[[^\]\n]+\]\([^)\s]+\)/, // link
    /^\|.*\|[ \t]*$/m, // table row
    /^>[ \t]?\S/m, // quote
  ].filter((pattern) => pattern.test(text)).length;
  return hasHeading ? others >= 1 : others >= 3;
}
