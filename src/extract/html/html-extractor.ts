/**
 * HTML as sections of readable text. The page is reduced to its *extracted text*: one block per
 * heading, paragraph, list item, table row or pre-formatted block, blocks joined by a blank line.
 * Segment offsets (`charStart`/`charEnd`) index that extracted text, not the HTML source: the
 * source is full of markup a reader never sees, and the extracted text is what gets embedded,
 * searched and shown. `htmlText` rebuilds the same extracted text for any caller that needs it.
 */

import { type ChildNode, type Element, isTag, isText } from 'domhandler';
import { findOne, textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import type { ExtractedSegment, Extraction } from '../../types.js';
import type { Extractor } from '../extractor.js';
import { decodeDeclared, decodeText, normalizeText } from '../text/decode-text.js';
import { trimSpan } from '../text/text-span.js';

/** Elements whose content is code, metadata, fallback or site navigation, not the document. */
const SKIPPED = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'svg',
  'math',
  'iframe',
  'object',
  'canvas',
  'select',
  'button',
]);

/** Elements that end the running paragraph before and after themselves. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hr',
  'li',
  'main',
  'ol',
  'p',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
]);

/** Where a `<meta>` declares the charset; the spec has browsers look in the first 1024 bytes. */
const META_CHARSET = /<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i;
const CHARSET_SCAN_BYTES = 1024;

/** Marks a `<br>` in running text until white space is collapsed; NULs are gone after decoding. */
const LINE_BREAK = '\0';

const BLOCK_SEPARATOR = '\n\n';

export const htmlExtractor: Extractor = {
  modality: 'text',
  async extract(input): Promise<Extraction> {
    return { modality: 'text', segments: htmlSegments(decodeHtml(input.bytes)), notes: [] };
  },
};

/** Decodes HTML bytes: a BOM, else a `<meta>` charset, else the plain text rules. */
export function decodeHtml(bytes: Uint8Array): string {
  const head = Buffer.from(
    bytes.buffer,
    bytes.byteOffset,
    Math.min(bytes.length, CHARSET_SCAN_BYTES),
  );
  const declared = META_CHARSET.exec(head.toString('latin1'))?.[1];
  return declared ? decodeDeclared(bytes, declared).text : decodeText(bytes).text;
}

interface Block {
  text: string;
  /** Set on heading blocks: a heading opens a new section. */
  heading?: { depth: number; title: string };
}

/** The extracted text of a decoded page, as `htmlSegments` offsets refer to it. */
export function htmlText(html: string): string {
  return collectBlocks(html)
    .map((block) => block.text)
    .join(BLOCK_SEPARATOR);
}

/** The sections of a decoded page, with offsets into its extracted text (see `htmlText`). */
export function htmlSegments(html: string): ExtractedSegment[] {
  const blocks = collectBlocks(html);
  const text = blocks.map((block) => block.text).join(BLOCK_SEPARATOR);

  const segments: ExtractedSegment[] = [];
  const headings: { depth: number; title: string }[] = [];
  let sectionStart = 0;
  let sectionPath: string[] = [];
  let offset = 0;

  const flush = (end: number) => {
    const span = trimSpan(text, sectionStart, end);
    if (span) {
      segments.push({
        kind: 'body',
        text: text.slice(span.start, span.end),
        locator: { charStart: span.start, charEnd: span.end, headingPath: sectionPath },
      });
    }
  };

  for (const block of blocks) {
    if (block.heading) {
      flush(offset);
      while (headings.length > 0 && headings.at(-1)!.depth >= block.heading.depth) headings.pop();
      headings.push(block.heading);
      sectionStart = offset;
      sectionPath = headings.map((heading) => heading.title);
    }
    offset += block.text.length + BLOCK_SEPARATOR.length;
  }
  flush(text.length);

  return segments;
}

function collectBlocks(html: string): Block[] {
  const document = parseDocument(normalizeText(html), {
    decodeEntities: true,
    lowerCaseTags: true,
  });
  const blocks: Block[] = [];
  let running = '';

  const endParagraph = () => {
    const text = collapse(running);
    if (text) blocks.push({ text });
    running = '';
  };

  // A page without an <h1> is titled by its <title>, which then heads every section.
  const hasH1 = findOne((element) => element.name === 'h1', document.children) !== null;
  const title = findOne((element) => element.name === 'title', document.children);
  const titleText = title ? collapse(textContent(title)) : '';
  if (!hasH1 && titleText)
    blocks.push({ text: titleText, heading: { depth: 1, title: titleText } });

  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (isText(node)) {
        running += node.data;
        continue;
      }
      if (!isTag(node) || isHidden(node)) continue;

      const name = node.name;
      const depth = /^h([1-6])$/.exec(name)?.[1];
      if (depth) {
        endParagraph();
        const heading = collapse(inlineText(node));
        if (heading)
          blocks.push({ text: heading, heading: { depth: Number(depth), title: heading } });
      } else if (name === 'pre') {
        endParagraph();
        const code = textContent(node).replace(/^\n/, '').trimEnd();
        if (code.trim()) blocks.push({ text: code });
      } else if (name === 'br') {
        running += LINE_BREAK;
      } else if (name === 'img') {
        const alt = node.attribs.alt?.trim();
        if (alt) running += ` ${alt} `;
      } else if (name === 'td' || name === 'th') {
        // Cells of one row stay on one line, told apart by a bar as in a Markdown table.
        if (collapse(running)) running += ' | ';
        visit(node.children);
      } else if (BLOCKS.has(name)) {
        endParagraph();
        visit(node.children);
        endParagraph();
      } else {
        visit(node.children);
      }
    }
  };

  visit(document.children);
  endParagraph();
  return blocks;
}

function isHidden(element: Element): boolean {
  if (SKIPPED.has(element.name)) return true;
  const { attribs } = element;
  if ('hidden' in attribs || attribs['aria-hidden'] === 'true') return true;
  return attribs.role === 'navigation';
}

/** The text of a heading, image alt text included. */
function inlineText(element: Element): string {
  let out = '';
  for (const node of element.children) {
    if (isText(node)) out += node.data;
    else if (isTag(node) && !isHidden(node)) {
      out += node.name === 'img' ? ` ${node.attribs.alt ?? ''} ` : inlineText(node);
    }
  }
  return out;
}

/** Runs of white space become one space, as a browser shows them; `<br>` becomes a line end. */
function collapse(text: string): string {
  return text
    .replace(/[ \t\n\f\r\u00a0]+/g, ' ')
    .replace(/ ?\0 ?/g, '\n')
    .trim();
}
