/**
 * From search results to evidence candidates: the whole text of each hit (search shows a
 * snippet), a picture's own words for a text-only generator or the picture for one that reads
 * images, and only hits relevant enough to answer from.
 */
import type { Store } from '../store/store.js';
import type { Locator, Modality, SearchResult, SegmentKind, StoredSegment } from '../types.js';
import { neutralizeText } from './prompt.js';

export interface EvidenceCandidate {
  path: string;
  modality: Modality;
  kind: SegmentKind;
  locator: Locator;
  /** Neutralised text to send; for a picture, its OCR text and caption (may be empty). */
  text: string;
  segmentId: string;
  score: number;
  /** The picture (a WebP thumbnail), when the generator reads images. */
  image?: { bytes: Uint8Array; mimeType: string };
}

export interface GatherOptions {
  results: SearchResult[];
  question: string;
  store: Pick<Store, 'getSegments' | 'getSource' | 'getThumbnail'>;
  /** Send pictures as images (a vision-language generator). */
  images: boolean;
  /** The query was an image: every hit of the vision search is relevant by construction. */
  imageQuery: boolean;
}

// Words that say nothing about a topic: a keyword hit on these alone is not evidence.
const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in ' +
    'into is it its me my of on or our say said says she he should so than that the their them ' +
    'then there these they this to was we were what when where which who whom why will with ' +
    'would you your about any all also some tell show shows'
  ).split(' '),
);

export async function gatherEvidence(options: GatherOptions): Promise<EvidenceCandidate[]> {
  const { results, question, store, images, imageQuery } = options;
  const segments = new Map(
    (await store.getSegments(results.map((result) => result.segmentId))).map((s) => [s.id, s]),
  );
  const questionWords = contentWords(question);

  const candidates: EvidenceCandidate[] = [];
  const seenText = new Set<string>();
  for (const result of results) {
    const segment = segments.get(result.segmentId);
    if (!segment) continue;
    if (!imageQuery && !relevant(result, segment, questionWords)) continue;

    let text = neutralizeText(segment.text);
    let image: EvidenceCandidate['image'];
    if (segment.kind === 'image') {
      text = neutralizeText(await wordsOfPicture(segment, result.path, store));
      if (images) {
        const bytes = await store.getThumbnail(segment.id);
        if (bytes) image = { bytes, mimeType: mimeTypeOf(bytes) };
      }
      // A text-only generator learns nothing from a picture without words.
      if (!text && !image && !images) continue;
    }

    // A picture's words are often also a hit of their own (its OCR segment): send them once.
    if (text && !image) {
      if (seenText.has(text)) continue;
      seenText.add(text);
    }
    candidates.push({
      path: result.path,
      modality: result.modality,
      kind: result.kind,
      locator: result.locator,
      text,
      segmentId: result.segmentId,
      score: result.score,
      image,
    });
  }
  return candidates;
}

/**
 * A hit is evidence when it shares a word with the question that is not a stop word (the first
 * five letters of longer words, so "fractured" meets "fracture"). A text-space similarity
 * floor alone lets through passages that are merely "about something" (a small embedder puts
 * most passages above it for most questions), and BM25 matches on "what" and "the". Picture
 * hits from the vision space are kept: that space has its own floor and no words to compare.
 */
function relevant(result: SearchResult, segment: StoredSegment, words: Set<string>): boolean {
  if (segment.kind === 'image' && result.matchedBy.vision !== undefined) return true;
  const own = contentWords(segment.text);
  for (const word of words) if (own.has(word)) return true;
  return false;
}

function contentWords(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
      .map((word) => word.slice(0, 5)),
  );
}

/**
 * The OCR text and caption of the same picture (same content, same page). The store has no
 * lookup by content, but a source records how many segments its content has, and segment ids
 * are `<content hash prefix>-<ordinal>` (ingest/index-file.ts).
 * TODO(#4): use a `Store.segmentsForContent(hash)` once the store offers one.
 */
async function wordsOfPicture(
  segment: StoredSegment,
  path: string,
  store: GatherOptions['store'],
): Promise<string> {
  const source = await store.getSource(path);
  const prefix = segment.id.slice(0, segment.id.lastIndexOf('-'));
  if (!source || source.contentHash !== segment.contentHash || !prefix) return '';
  const ids = Array.from({ length: source.segmentCount }, (_, i) => `${prefix}-${i}`);
  const siblings = await store.getSegments(ids);
  return siblings
    .filter(
      (other) =>
        (other.kind === 'ocr' || other.kind === 'caption') &&
        other.locator.page === segment.locator.page,
    )
    .map((other) => other.text)
    .join(' ');
}

function mimeTypeOf(bytes: Uint8Array): string {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  return 'image/webp';
}
