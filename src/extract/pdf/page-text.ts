/**
 * Rebuilds the text of one PDF page from pdf.js text items: pieces on one baseline become a
 * line, a gap wider than a space becomes a space, a gap between lines taller than a line
 * becomes a paragraph break. Items come in content order, which nearly every producer writes
 * in reading order; pdf.js sets `hasEOL` where the producer itself ended a line.
 */
import type { BoundingBox } from '../../types.js';

/** The fields of a pdf.js `TextItem` that are read here. */
export interface PdfTextItem {
  str: string;
  /** Text matrix `[a, b, c, d, e, f]` in PDF user space. */
  transform: number[];
  /** Advance width in user space. */
  width: number;
  hasEOL: boolean;
}

export interface PageGeometry {
  /** The page viewport's transform, user space to top-left device space. */
  transform: number[];
  width: number;
  height: number;
}

/** A run of the page's text (one or more paragraphs) with the box around its lines. */
export interface PageBlock {
  text: string;
  bbox: BoundingBox;
}

export interface PageText {
  text: string;
  /** The box around all the text, as fractions of the page; absent when there is no text. */
  bbox?: BoundingBox;
  /**
   * The text in paragraphs, in reading order, so that a hit can point at its place on the page.
   * Short neighbours are merged (see {@link PageTextOptions}); joined by blank lines they are
   * `text`.
   */
  blocks: PageBlock[];
  /** Letters, digits and punctuation: everything that is not white space. */
  visibleChars: number;
}

export interface PageTextOptions {
  /**
   * A block shorter than this (in characters) takes in the paragraph after it, so a heading or
   * a one-line paragraph does not become a segment of its own.
   * @default 300
   */
  minBlockChars?: number;
  /** Merging stops before a block grows past this many characters. @default 1500 */
  maxBlockChars?: number;
}

type Matrix = [number, number, number, number, number, number];

function multiply(m: number[], n: number[]): Matrix {
  const [a, b, c, d, e, f] = m as Matrix;
  const [g, h, i, j, k, l] = n as Matrix;
  return [
    a * g + c * h,
    b * g + d * h,
    a * i + c * j,
    b * i + d * j,
    a * k + c * l + e,
    b * k + d * l + f,
  ];
}

/** A text piece placed on the page, in device space (origin top left, y down). */
interface Placed {
  str: string;
  hasEOL: boolean;
  /** Baseline, along the line's up direction. */
  baseline: number;
  /** Start and end along the writing direction. */
  start: number;
  end: number;
  size: number;
  box: BoundingBox;
}

/** Fonts rise about 0.8 of their size above the baseline and drop 0.2 below it. */
const ASCENT = 0.8;
const DESCENT = 0.2;

function place(item: PdfTextItem, page: PageGeometry): Placed | undefined {
  const [a, b, c, d, e, f] = multiply(page.transform, item.transform);
  const size = Math.hypot(c, d);
  const advance = Math.hypot(a, b);
  if (size === 0 || advance === 0) return undefined;

  // Unit vectors of the writing direction and of "up" on the device.
  const [ux, uy] = [a / advance, b / advance];
  const [vx, vy] = [c / size, d / size];
  const scale = Math.hypot(page.transform[0] ?? 1, page.transform[1] ?? 0);
  const length = item.width * scale;

  const corners = [
    [e - vx * DESCENT * size, f - vy * DESCENT * size],
    [e + vx * ASCENT * size, f + vy * ASCENT * size],
  ].flatMap(([x, y]) => [
    [x!, y!],
    [x! + ux * length, y! + uy * length],
  ]);
  const xs = corners.map(([x]) => x!);
  const ys = corners.map(([, y]) => y!);
  const start = e * ux + f * uy;
  return {
    str: item.str,
    hasEOL: item.hasEOL,
    // Measured along "down" so that later lines have larger values on an upright page.
    baseline: -(e * vx + f * vy),
    start,
    end: start + length,
    size,
    box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
  };
}

interface Line {
  text: string;
  baseline: number;
  end: number;
  size: number;
  box: BoundingBox;
  closed: boolean;
}

function union(a: BoundingBox, b: BoundingBox): BoundingBox {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

function toLines(items: PdfTextItem[], page: PageGeometry): Line[] {
  const lines: Line[] = [];
  let line: Line | undefined;

  for (const item of items) {
    // pdf.js marks a producer's line break with an empty item; it ends the current line.
    if (!item.str) {
      if (item.hasEOL && line) line.closed = true;
      continue;
    }
    const placed = place(item, page);
    if (!placed) continue;

    const sameLine =
      line !== undefined &&
      !line.closed &&
      Math.abs(placed.baseline - line.baseline) < 0.5 * Math.min(placed.size, line.size) &&
      placed.start > line.end - placed.size;
    if (line && sameLine) {
      const gap = placed.start - line.end;
      const spaced = /\s$/.test(line.text) || /^\s/.test(placed.str);
      if (!spaced && gap > 0.15 * placed.size) line.text += ' ';
      line.text += placed.str;
      line.end = Math.max(line.end, placed.end);
      line.box = union(line.box, placed.box);
    } else {
      line = {
        text: placed.str,
        baseline: placed.baseline,
        end: placed.end,
        size: placed.size,
        box: placed.box,
        closed: false,
      };
      lines.push(line);
    }
    if (placed.hasEOL) line.closed = true;
  }
  return lines;
}

function toFractions(box: BoundingBox, page: PageGeometry): BoundingBox {
  const clamp = (value: number) => Math.min(1, Math.max(0, value));
  return [
    clamp(box[0] / page.width),
    clamp(box[1] / page.height),
    clamp(box[2] / page.width),
    clamp(box[3] / page.height),
  ];
}

/** Paragraphs (in device space) from lines: a gap taller than the line itself starts one. */
function toParagraphs(lines: Line[]): PageBlock[] {
  const paragraphs: PageBlock[] = [];
  let current: PageBlock | undefined;
  lines.forEach((line, i) => {
    const previous = lines[i - 1];
    const gap = previous ? line.box[1] - previous.box[3] : 0;
    if (current && previous && gap <= 0.8 * Math.min(line.size, previous.size)) {
      current.text += `\n${line.text}`;
      current.bbox = union(current.bbox, line.box);
    } else {
      current = { text: line.text, bbox: line.box };
      paragraphs.push(current);
    }
  });
  return paragraphs;
}

/** Short paragraphs joined to the next while the block stays small; boxes are unions. */
function mergeShort(paragraphs: PageBlock[], minChars: number, maxChars: number): PageBlock[] {
  const blocks: PageBlock[] = [];
  for (const paragraph of paragraphs) {
    const last = blocks.at(-1);
    const fits = last && last.text.length + 2 + paragraph.text.length <= maxChars;
    if (last && fits && last.text.length < minChars) {
      last.text += `\n\n${paragraph.text}`;
      last.bbox = union(last.bbox, paragraph.bbox);
    } else {
      blocks.push({ ...paragraph });
    }
  }
  return blocks;
}

/** The page's text in reading order, in blocks, with boxes as fractions of the page. */
export function pageText(
  items: PdfTextItem[],
  page: PageGeometry,
  options: PageTextOptions = {},
): PageText {
  const { minBlockChars = 300, maxBlockChars = 1500 } = options;
  const lines = toLines(items, page)
    .map((line) => ({ ...line, text: line.text.replace(/\s+/g, ' ').trim() }))
    .filter((line) => line.text);
  if (lines.length === 0) return { text: '', blocks: [], visibleChars: 0 };

  const paragraphs = toParagraphs(lines);
  const text = paragraphs.map((paragraph) => paragraph.text).join('\n\n');
  const box = paragraphs.map((paragraph) => paragraph.bbox).reduce(union);
  const blocks = mergeShort(paragraphs, minBlockChars, maxBlockChars).map((block) => ({
    text: block.text,
    bbox: toFractions(block.bbox, page),
  }));
  return {
    text,
    bbox: toFractions(box, page),
    blocks,
    visibleChars: text.replace(/\s/g, '').length,
  };
}
