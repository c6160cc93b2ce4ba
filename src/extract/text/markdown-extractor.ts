/**
 * Markdown as sections: each heading opens a section that runs to the next heading, and the
 * section's text is its own source, verbatim, so `text.slice(charStart, charEnd)` is the
 * segment and the chunker can place every piece it cuts. Blocks with nothing to read (images
 * alone, link definitions, comments, rules) are left out, which splits a section around them.
 */
import type { Nodes, PhrasingContent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import type { ExtractedSegment, Extraction } from '../../types.js';
import type { Extractor } from '../extractor.js';
import { decodeText } from './decode-text.js';
import { type TextSpan, trimSpan } from './text-span.js';

export const markdownExtractor: Extractor = {
  modality: 'text',
  async extract(input): Promise<Extraction> {
    const { text } = decodeText(input.bytes);
    return { modality: 'text', segments: markdownSegments(text), notes: [] };
  },
};

/** The sections of a decoded Markdown text, with offsets into that text. */
export function markdownSegments(text: string): ExtractedSegment[] {
  // GFM for tables and task lists; front matter so a YAML header is not read as a heading.
  const tree = fromMarkdown(text, {
    extensions: [gfm(), frontmatter()],
    mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown()],
  });

  const segments: ExtractedSegment[] = [];
  const headings: { depth: number; title: string }[] = [];
  let run: TextSpan | undefined;

  const flush = () => {
    if (!run) return;
    const span = trimSpan(text, run.start, run.end);
    if (span) {
      segments.push({
        kind: 'body',
        text: text.slice(span.start, span.end),
        locator: {
          charStart: span.start,
          charEnd: span.end,
          headingPath: headings.map((heading) => heading.title),
        },
      });
    }
    run = undefined;
  };

  for (const node of tree.children) {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) continue;

    if (node.type === 'heading') {
      flush();
      while (headings.length > 0 && headings.at(-1)!.depth >= node.depth) headings.pop();
      headings.push({ depth: node.depth, title: plainText(node).trim() });
    }

    if (!hasReadableText(node)) {
      flush();
      continue;
    }
    run = run ? { start: run.start, end } : { start, end };
  }
  flush();

  return segments;
}

/** Whether a top-level block holds something to read; an image alone, a rule, a comment do not. */
function hasReadableText(node: RootContent): boolean {
  switch (node.type) {
    case 'definition':
    case 'footnoteDefinition':
    case 'thematicBreak':
      return false;
    case 'html':
      return !/^\s*<!--[\s\S]*-->\s*$/.test(node.value);
    case 'paragraph':
      return node.children.some(isReadableInline);
    default:
      return true;
  }
}

function isReadableInline(node: PhrasingContent): boolean {
  switch (node.type) {
    case 'image':
    case 'imageReference':
    case 'break':
      return false;
    case 'text':
      return node.value.trim() !== '';
    case 'link':
    case 'linkReference':
      // A link around an image only (a badge, a thumbnail) is still image-only.
      return node.children.some(isReadableInline);
    default:
      return true;
  }
}

/** The text a reader sees in a heading: inline code and image alt text included. */
function plainText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if (node.type === 'image' || node.type === 'imageReference') return node.alt ?? '';
  if ('children' in node) return node.children.map((child) => plainText(child)).join('');
  return '';
}
