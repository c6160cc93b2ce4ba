/**
 * Small inputs for the store tests: source records, segments with chosen vectors, and a batch
 * that indexes one file the way the engine does.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { CommitBatch, SourceRecord } from '../../src/store/store.js';
import type { EmbeddedSegment, Modality, SegmentKind, SpaceName } from '../../src/types.js';

export const TEXT_DIM = 8;
export const VISION_DIM = 4;

export function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'mmrag-'));
}

/** A unit vector of `dimension` pointing mostly along `axis`, tilted by `tilt` toward the next. */
export function axisVector(dimension: number, axis: number, tilt = 0): Float32Array {
  const vector = new Float32Array(dimension);
  vector[axis % dimension] = 1;
  vector[(axis + 1) % dimension] = tilt;
  return vector;
}

/** A deterministic pseudo-random vector (mulberry32), for bulk rows. */
export function randomVector(dimension: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const vector = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    vector[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  }
  return vector;
}

export interface SegmentSpec {
  space?: SpaceName;
  kind?: SegmentKind;
  modality?: Modality;
  text?: string;
  vector: Float32Array;
  thumbnail?: Uint8Array;
}

export function segment(contentHash: string, ordinal: number, spec: SegmentSpec): EmbeddedSegment {
  const space = spec.space ?? 'text';
  return {
    id: `${contentHash}:${ordinal}`,
    contentHash,
    modality: spec.modality ?? 'text',
    kind: spec.kind ?? (space === 'vision' ? 'image' : 'body'),
    text: spec.text ?? '',
    locator: { charStart: ordinal * 10, charEnd: ordinal * 10 + 9, headingPath: ['Top'] },
    space,
    vector: spec.vector,
    thumbnail: spec.thumbnail,
  };
}

export function source(
  sourcePath: string,
  contentHash: string,
  overrides: Partial<SourceRecord> = {},
): SourceRecord {
  return {
    path: sourcePath,
    contentHash,
    pipelineKey: 'p1',
    modality: 'text',
    size: 100,
    mtimeMs: 1_700_000_000_000,
    indexedAt: Date.now(),
    status: 'indexed',
    reason: '',
    segmentCount: 0,
    ...overrides,
  };
}

/** Indexes (or re-indexes) one file: its source row, its segments, old content removed. */
export function fileBatch(options: {
  path: string;
  contentHash: string;
  segments: EmbeddedSegment[];
  replaces?: string;
  indexedAt?: number;
  pipelineKey?: string;
}): CommitBatch {
  return {
    upsertSources: [
      source(options.path, options.contentHash, {
        segmentCount: options.segments.length,
        indexedAt: options.indexedAt ?? Date.now(),
        pipelineKey: options.pipelineKey ?? 'p1',
      }),
    ],
    removeContent: options.replaces ? [options.replaces] : [],
    addSegments: options.segments,
  };
}

/** `count` text segments of one content, with seeded random vectors and numbered words. */
export function textSegments(contentHash: string, count: number, seed: number): EmbeddedSegment[] {
  return Array.from({ length: count }, (_, i) =>
    segment(contentHash, i, {
      text: `piece ${i} of ${contentHash} word${seed % 97} common`,
      vector: randomVector(TEXT_DIM, seed * 1000 + i),
    }),
  );
}
