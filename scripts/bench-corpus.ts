/**
 * What the benchmarks share: deterministic sentences, and a text index of many segments written
 * straight to the store (ingesting 100k segments file by file would measure ingest, not search).
 */
import { join } from 'node:path';
import { resolveModelSet } from '../src/config/model-sets.js';
import { modelSetKey, writeIndexModelSet } from '../src/index-meta.js';
import { createModelProvider } from '../src/models/model-provider.js';
import { openLanceStore } from '../src/store/lancedb/index.js';
import type { SourceRecord } from '../src/store/store.js';
import type { EmbeddedSegment } from '../src/types.js';
import { FIXTURE_MODEL_SET } from '../test/helpers/e2e-fixture-models.js';

const VOCAB = (
  'budget meeting revenue forecast project deadline garden tomato water river mountain city ' +
  'train station report invoice coffee machine kitchen office holiday summer winter school ' +
  'music lecture podcast weather morning evening doctor wrist fracture camera photo street'
).split(' ');

/** A seeded pseudo-random source, so runs are comparable. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function sentence(next: () => number, length = 12): string {
  return Array.from({ length }, () => VOCAB[Math.floor(next() * VOCAB.length)]).join(' ');
}

export interface SyntheticIndexOptions {
  indexDir: string;
  modelsDir: string;
  segments: number;
  seed: number;
}

export interface SyntheticIndexTimings {
  writeSeconds: number;
  optimizeSeconds: number;
}

/**
 * Writes `segments` text segments, 50 per source file, with the fixture model set recorded.
 * Vectors are real GloVe embeddings of 2,000 distinct sentences, reused with a little noise, so
 * the data is clustered like real text (uniform random vectors are every index's worst case).
 */
export async function writeSyntheticIndex(
  options: SyntheticIndexOptions,
): Promise<SyntheticIndexTimings> {
  const { indexDir, modelsDir, segments: total, seed } = options;
  const set = resolveModelSet(FIXTURE_MODEL_SET);
  const provider = createModelProvider({ set, modelsDir, offline: true });
  const embedder = await provider.textEmbedder();
  const next = random(seed);
  const bases = await embedder.embed(Array.from({ length: 2000 }, () => sentence(next)));

  const store = await openLanceStore({ dir: join(indexDir, 'store'), mode: 'write' });
  await store.setSpaces({ text: { model: embedder.id, dimension: embedder.dimension } });
  await writeIndexModelSet(indexDir, set);

  const writeStart = performance.now();
  const perFile = 50;
  const batch: EmbeddedSegment[] = [];
  const sources: SourceRecord[] = [];
  for (let i = 0; i < total; i++) {
    const base = bases[i % bases.length]!;
    const file = Math.floor(i / perFile);
    const contentHash = `bench${String(file).padStart(12, '0')}`;
    const text = sentence(next, 30);
    batch.push({
      id: `${contentHash}-${i % perFile}`,
      contentHash,
      modality: 'text',
      kind: 'body',
      text,
      locator: { charStart: 0, charEnd: text.length },
      space: 'text',
      vector: Float32Array.from(base, (v) => v + (next() - 0.5) * 0.02),
    });
    if (i % perFile === perFile - 1 || i === total - 1) {
      sources.push({
        path: `/bench/file-${file}.md`,
        contentHash,
        pipelineKey: `bench;${modelSetKey(set)}`,
        modality: 'text',
        size: 1000,
        mtimeMs: 0,
        indexedAt: Date.now(),
        status: 'indexed',
        reason: '',
        segmentCount: (i % perFile) + 1,
      });
    }
    if (batch.length >= 5000 || i === total - 1) {
      await store.commit({ addSegments: batch.splice(0), upsertSources: sources.splice(0) });
    }
  }
  const writeSeconds = (performance.now() - writeStart) / 1000;

  const optimizeStart = performance.now();
  await store.optimize();
  const optimizeSeconds = (performance.now() - optimizeStart) / 1000;
  await store.close();
  await provider.dispose();
  return { writeSeconds, optimizeSeconds };
}
