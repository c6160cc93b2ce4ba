/**
 * Plain text as sections of whole paragraphs. Paragraphs (split at blank lines) are grouped up to
 * a size that a text embedder reads comfortably, so a file of one-line paragraphs does not
 * become hundreds of tiny segments; a section's text is a verbatim slice of the decoded text.
 */

import type { ExtractedSegment, Extraction } from '../../types.js';
import type { Extractor } from '../extractor.js';
import { decodeText } from './decode-text.js';
import { type TextSpan, trimSpan } from './text-span.js';

/** Paragraphs are gathered into one section until it would pass this many characters. */
const SECTION_CHARS = 1500;

export const plainTextExtractor: Extractor = {
  modality: 'text',
  async extract(input): Promise<Extraction> {
    const { text } = decodeText(input.bytes);
    return { modality: 'text', segments: plainTextSegments(text), notes: [] };
  },
};

/** The sections of a decoded plain text, with offsets into that text. */
export function plainTextSegments(text: string): ExtractedSegment[] {
  const paragraphs: TextSpan[] = [];
  const blankLines = /\n[ \t\f\v]*\n\s*/g;
  let start = 0;
  for (const match of text.matchAll(blankLines)) {
    const span = trimSpan(text, start, match.index);
    if (span) paragraphs.push(span);
    start = match.index + match[0].length;
  }
  const last = trimSpan(text, start, text.length);
  if (last) paragraphs.push(last);

  const segments: ExtractedSegment[] = [];
  let section: TextSpan | undefined;
  const flush = () => {
    if (!section) return;
    segments.push({
      kind: 'body',
      text: text.slice(section.start, section.end),
      locator: { charStart: section.start, charEnd: section.end },
    });
    section = undefined;
  };

  for (const paragraph of paragraphs) {
    if (section && paragraph.end - section.start > SECTION_CHARS) flush();
    section = section ? { start: section.start, end: paragraph.end } : paragraph;
  }
  flush();

  return segments;
}
