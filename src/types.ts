/**
 * The shapes every stage shares: files, segments and where they sit in their file, hits.
 * Stages import from here and from each other's interfaces, never from implementations.
 */

/** What kind of file a source is, decided from its bytes. */
export type Modality = 'text' | 'pdf' | 'image' | 'audio';

export const MODALITIES: readonly Modality[] = ['text', 'pdf', 'image', 'audio'];

/**
 * What a segment holds. Text kinds go to the text space (and the keyword index); `image`
 * segments (a photo, a rendered PDF page) go to the vision space.
 */
export type SegmentKind = 'body' | 'ocr' | 'transcript' | 'caption' | 'image';

/** The vector spaces of an index. */
export type SpaceName = 'text' | 'vision';

/**
 * A box on an image or a page, as fractions of its width and height: `[x0, y0, x1, y1]`, origin
 * top left. Fractions survive thumbnails and renders at any resolution.
 */
export type BoundingBox = [number, number, number, number];

/** Where a segment sits inside its file. Only the fields that apply are present. */
export interface Locator {
  /** 1-based page number in a PDF. */
  page?: number;
  /** Region on the page or image. */
  bbox?: BoundingBox;
  /** Start of a time range, in seconds from the start of the recording. */
  start?: number;
  /** End of a time range, in seconds. */
  end?: number;
  /** First character of the piece in the decoded text of the file (UTF-16 code units). */
  charStart?: number;
  /** One past the last character of the piece. */
  charEnd?: number;
  /** Headings above the piece, outermost first. */
  headingPath?: string[];
}

/** Decoded pixels: 8-bit sRGB, 3 channels, row-major, no alpha. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** One piece that an extractor found in a file, before chunking and embedding. */
export interface ExtractedSegment {
  kind: SegmentKind;
  /** The text of a text kind. Absent for `image`. */
  text?: string;
  /** The pixels of an `image` segment, normalised for the vision embedder. */
  image?: RgbImage;
  /** A small WebP for display, for `image` segments. */
  thumbnail?: Uint8Array;
  locator: Locator;
}

/** What extracting one file produced. */
export interface Extraction {
  modality: Modality;
  segments: ExtractedSegment[];
  /**
   * Things a person should know that did not stop the file from being indexed
   * (a page that needed OCR, a recording with no speech).
   */
  notes: string[];
}

/** A file found by walking the inputs. */
export interface SourceFile {
  /** Absolute path as the user reached it (not resolved through symlinks). */
  path: string;
  /** Absolute path with symlinks resolved; one real file is processed once. */
  realPath: string;
  size: number;
  mtimeMs: number;
}

/** A segment as the index keeps it. */
export interface StoredSegment {
  /** Stable id: content hash plus the segment's ordinal within the content. */
  id: string;
  contentHash: string;
  modality: Modality;
  kind: SegmentKind;
  /** Text for text kinds; empty for image segments. */
  text: string;
  locator: Locator;
}

/** A segment with its vector, ready to be written to its space. */
export interface EmbeddedSegment extends StoredSegment {
  space: SpaceName;
  vector: Float32Array;
  thumbnail?: Uint8Array;
}

/** One ranked hit, as search returns it. */
export interface SearchResult {
  /** The file, as the user reached it. When one content lives under several names, the first. */
  path: string;
  /** Every indexed path with this content. */
  paths: string[];
  modality: Modality;
  kind: SegmentKind;
  locator: Locator;
  snippet: string;
  /** Fused score: higher is better; comparable within one result list only. */
  score: number;
  segmentId: string;
  /** Which retrievers found it, with their rank (1-based). */
  matchedBy: Partial<Record<'text' | 'vision' | 'keyword', number>>;
}
