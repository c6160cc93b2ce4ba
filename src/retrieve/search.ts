/**
 * A query runs every retriever that applies, each under the same filter, and their lists are
 * fused by reciprocal rank:
 * - text in the query: text-space dense, keyword (BM25), and vision-space dense through the
 *   image-text model's text tower;
 * - an image in the query: vision-space dense with the image's vector, and the words printed
 *   in it (OCR) as a text query, so a photo also finds pages that mention what it shows.
 */
import { resolve } from 'node:path';
import type { FusionOptions } from '../config/options.js';
import { MmragError } from '../errors.js';
import { readPictureText } from '../extract/image/read-picture-text.js';
import type { ImageTextEmbedder, TextEmbedder, TextRecognizer } from '../models/roles.js';
import type { SearchFilter, SourceRecord, Store } from '../store/store.js';
import type { Modality, RgbImage, SearchResult, StoredSegment } from '../types.js';
import {
  denseTextWeight,
  exactnessLists,
  fuseByReciprocalRank,
  queryTerms,
  type RankedList,
} from './fuse.js';
import { makeSnippet } from './snippet.js';

export interface SearchQuery {
  text?: string;
  image?: RgbImage;
}

export interface SearchOptions {
  /**
   * How many results.
   * @default 10
   */
  k?: number;
  modalities?: Modality[];
  /** Only files whose path starts with one of these. */
  pathPrefixes?: string[];
  /** Only files modified at or after this time. */
  modifiedAfter?: Date;
  /** Only files modified before this time. */
  modifiedBefore?: Date;
  signal?: AbortSignal;
}

export interface SearchDependencies {
  store: Store;
  fusion: FusionOptions;
  /** Dense hits below these similarities are dropped, per space. */
  minSimilarity: Record<'text' | 'vision', number>;
  textEmbedder: () => Promise<TextEmbedder>;
  imageTextEmbedder: () => Promise<ImageTextEmbedder | undefined>;
  recognizer: () => Promise<TextRecognizer | undefined>;
}

export interface SearchResponse {
  results: SearchResult[];
  /** Retrievers that ran, with how many candidates each returned. */
  retrievers: Partial<Record<'text' | 'vision' | 'keyword', number>>;
  /** Words read from the query image, when there was one. */
  imageText?: string;
}

export async function search(
  query: SearchQuery,
  options: SearchOptions,
  deps: SearchDependencies,
): Promise<SearchResponse> {
  const k = options.k ?? 10;
  const text = query.text?.trim() ?? '';
  if (!text && !query.image) {
    throw new MmragError('USAGE', 'The query is empty.', {
      hint: 'Give words to search for, or an image with --image.',
    });
  }
  if (!Number.isInteger(k) || k < 1) {
    throw new MmragError('USAGE', `--k must be a whole number of at least 1, not ${k}.`);
  }

  const filter = await resolveFilter(options, deps.store);
  if (filter === 'nothing') return { results: [], retrievers: {} };

  // Each retriever fetches more than k so that fusion has overlap to work with.
  const depth = Math.max(50, k * 4);
  const lists: RankedList[] = [];
  const { weights } = deps.fusion;
  let imageText: string | undefined;
  let known: boolean[] = [];

  const imageTextEmbedder = await deps.imageTextEmbedder();
  if (query.image) {
    if (imageTextEmbedder) {
      const [vector] = await imageTextEmbedder.embedImages([query.image], options);
      // Image-to-image similarity has its own, higher range: no text-to-image floor applies.
      lists.push(await dense('vision', vector!, depth, filter, weights.vision, deps.store, -1));
    }
    const recognizer = await deps.recognizer();
    // The same reading, and the same rule for what counts as words, as indexing used.
    if (recognizer) {
      const pieces = await readPictureText(recognizer, query.image, options);
      imageText = pieces.map((piece) => piece.text).join('\n') || undefined;
    }
    if (!imageTextEmbedder && !imageText) {
      throw new MmragError(
        'USAGE',
        'No words were found in the picture, and finding pictures by what they show needs the full model set (an index built with --models full).',
        { hint: 'Search with a picture that has text on it, or with words.' },
      );
    }
  }

  const words = [text, imageText].filter(Boolean).join(' ');
  if (words) {
    const textEmbedder = await deps.textEmbedder();
    // Words the text model does not know weigh nothing in its vector (fuse.ts): with none
    // known, the vector is the placeholder every unknown text shares, and the list stays empty.
    known = await knownTerms(textEmbedder, words);
    const textWeight = denseTextWeight(weights.text, known);
    if (textWeight > 0) {
      const vector = await textEmbedder.embedQuery(words, options);
      const minimum = deps.minSimilarity.text;
      const list = await dense('text', vector, depth, filter, textWeight, deps.store, minimum);
      lists.push(await withoutPlaceholders(list, textEmbedder));
    } else {
      lists.push({ retriever: 'text', weight: 0, segments: [] });
    }
    const keywordHits = await deps.store.searchKeywords(words, depth, filter);
    lists.push({
      retriever: 'keyword',
      weight: weights.keyword,
      segments: keywordHits.map((hit) => hit.segment),
    });
    // Typed words also look for pictures; words read off a query image do not.
    if (text && imageTextEmbedder) {
      const [visionVector] = await imageTextEmbedder.embedTexts([text], options);
      lists.push(
        await dense(
          'vision',
          visionVector!,
          depth,
          filter,
          weights.vision,
          deps.store,
          deps.minSimilarity.vision,
        ),
      );
    }
  }

  // Keyword hits that hold the query's words exactly count once more per criterion (fuse.ts).
  const keywordList = lists.find((list) => list.retriever === 'keyword');
  const exact = keywordList && {
    weight: keywordList.weight,
    lists: exactnessLists(words, keywordList.segments, { known }),
  };
  const fused = fuseByReciprocalRank(lists, deps.fusion.k, { exact }).slice(0, k);
  const results: SearchResult[] = [];
  for (const hit of fused) {
    const paths = await deps.store.pathsForContent(hit.segment.contentHash);
    results.push(toResult(hit.segment, hit.score, hit.ranks, paths, words));
  }

  const retrievers: SearchResponse['retrievers'] = {};
  for (const list of lists) {
    retrievers[list.retriever] = (retrievers[list.retriever] ?? 0) + list.segments.length;
  }
  return { results, retrievers, imageText };
}

/** Whether the text model knows each word of the query (all true for a model that cannot say). */
async function knownTerms(embedder: TextEmbedder, words: string): Promise<boolean[]> {
  if (!embedder.informative) return [];
  const terms = queryTerms(words);
  return embedder.informative(terms.length > 0 ? terms : [words]);
}

/**
 * Drops dense hits on passages the text model knows no token of: they carry the placeholder
 * vector (models/transformers/vectors.ts), so their similarity says nothing about the query.
 * They stay findable by keyword.
 */
async function withoutPlaceholders(list: RankedList, embedder: TextEmbedder): Promise<RankedList> {
  if (!embedder.informative || list.segments.length === 0) return list;
  const known = await embedder.informative(list.segments.map((segment) => segment.text));
  return { ...list, segments: list.segments.filter((_, i) => known[i]) };
}

async function dense(
  space: 'text' | 'vision',
  vector: Float32Array,
  depth: number,
  filter: SearchFilter,
  weight: number,
  store: Store,
  minSimilarity: number,
): Promise<RankedList> {
  const hits = await store.searchVectors(space, vector, depth, filter);
  const kept = hits.filter((hit) => hit.score >= minSimilarity);
  return { retriever: space, weight, segments: kept.map((hit) => hit.segment) };
}

/**
 * Path and date filters are properties of sources, not segments: they become the set of
 * content hashes to search within. 'nothing' means no source matches.
 */
async function resolveFilter(
  options: SearchOptions,
  store: Store,
): Promise<SearchFilter | 'nothing'> {
  const filter: SearchFilter = {};
  if (options.modalities?.length) filter.modalities = options.modalities;

  const { pathPrefixes, modifiedAfter, modifiedBefore } = options;
  if (!pathPrefixes?.length && !modifiedAfter && !modifiedBefore) return filter;

  const keep = (source: SourceRecord) =>
    source.status === 'indexed' &&
    (!pathPrefixes?.length || pathPrefixes.some((prefix) => isUnder(source.path, prefix))) &&
    (!modifiedAfter || source.mtimeMs >= modifiedAfter.getTime()) &&
    (!modifiedBefore || source.mtimeMs < modifiedBefore.getTime());
  const hashes = new Set((await store.listSources()).filter(keep).map((s) => s.contentHash));
  if (hashes.size === 0) return 'nothing';
  filter.contentHashes = [...hashes];
  return filter;
}

/** Whole path components: `/home/ann` holds `/home/ann/x` and itself, not `/home/anna`. */
function isUnder(path: string, given: string): boolean {
  // Relative prefixes (`md`, `./md/`) mean paths under the current folder.
  const prefix = resolve(given);
  const folder = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return path === prefix || path.startsWith(folder);
}

function toResult(
  segment: StoredSegment,
  score: number,
  ranks: SearchResult['matchedBy'],
  paths: string[],
  query: string,
): SearchResult {
  return {
    path: paths[0] ?? '',
    paths,
    modality: segment.modality,
    kind: segment.kind,
    locator: segment.locator,
    snippet: makeSnippet(segment, query),
    score,
    segmentId: segment.id,
    matchedBy: ranks,
  };
}
