/**
 * Benchmarks. Prints figures; asserts nothing.
 *
 *   npm run bench              # full run (several minutes on 2 cores)
 *   npm run bench -- --quick   # smaller sizes, for a first look
 *
 * Runs on the models the tests use (real GloVe text embedder, designed CLIP and Whisper
 * fixtures, real tesseract OCR), so ingest figures for vision and speech measure the pipeline
 * around the models, not the cost of full-size models.
 */
process.env.LANCEDB_LOG ??= 'error';

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { resolveModelSet } from '../src/config/model-sets.js';
import { createEngine } from '../src/engine.js';
import { createModelProvider } from '../src/models/model-provider.js';
import { textPng } from '../test/helpers/docs-visual-images.js';
import { textPdf } from '../test/helpers/docs-visual-pdfs.js';
import { FIXTURE_MODEL_SET, fixtureModelsDir } from '../test/helpers/e2e-fixture-models.js';
import { silence, synthesizeSpeech, writeWav } from '../test/helpers/speech-tones.js';
import { random, sentence, writeSyntheticIndex } from './bench-corpus.js';

const quick = process.argv.includes('--quick');
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function benchIngest(modelsDir: string): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'mmrag-bench-ingest-'));
  const next = random(1);
  const counts = quick
    ? { text: 20, pdf: 4, image: 4, audio: 2 }
    : { text: 100, pdf: 10, image: 10, audio: 5 };

  const folders: Record<string, string> = {};
  for (const modality of Object.keys(counts)) {
    folders[modality] = join(root, modality);
    await mkdir(folders[modality]!, { recursive: true });
  }
  let audioSeconds = 0;
  for (let i = 0; i < counts.text; i++) {
    const body = Array.from({ length: 8 }, (_, s) => `## Part ${s}\n\n${sentence(next, 60)}.\n`);
    await writeFile(join(folders.text!, `note-${i}.md`), `# Note ${i}\n\n${body.join('\n')}`);
  }
  for (let i = 0; i < counts.pdf; i++) {
    const pages = Array.from({ length: 3 }, () => [sentence(next, 8), sentence(next, 8)]);
    await writeFile(join(folders.pdf!, `doc-${i}.pdf`), await textPdf(pages));
  }
  for (let i = 0; i < counts.image; i++) {
    const png = await textPng({ lines: [sentence(next, 3), sentence(next, 3)] });
    await writeFile(join(folders.image!, `photo-${i}.png`), png);
  }
  for (let i = 0; i < counts.audio; i++) {
    const clip = Float32Array.from([
      ...silence(1),
      ...synthesizeSpeech(['budget', 'meeting', 'tuesday']),
      ...silence(15),
      ...synthesizeSpeech(['weather', 'forecast']),
      ...silence(1),
    ]);
    audioSeconds += clip.length / 16000;
    await writeWav(join(folders.audio!, `memo-${i}.wav`), [clip], 16000, 16);
  }

  const engine = await createEngine({
    indexDir: join(root, 'index'),
    models: FIXTURE_MODEL_SET,
    modelsDir,
    offline: true,
  });
  // Model loading is measured apart from the per-file work.
  const loadStart = performance.now();
  await engine.pullModels();
  console.log(
    `model load (all four roles): ${((performance.now() - loadStart) / 1000).toFixed(2)} s`,
  );

  console.log('\nIngest throughput (fixture models; one file at a time)');
  console.log('modality  files  seconds  files/s  segments  note');
  for (const [modality, folder] of Object.entries(folders)) {
    const started = performance.now();
    const report = await engine.ingest([folder]);
    const seconds = (performance.now() - started) / 1000;
    const segments = report.files.reduce((sum, file) => sum + file.segments, 0);
    const note =
      modality === 'audio' ? `${(audioSeconds / seconds).toFixed(1)} s of audio per s` : '';
    console.log(
      `${modality.padEnd(8)}  ${String(report.counts.indexed).padStart(5)}  ${seconds
        .toFixed(2)
        .padStart(7)}  ${(report.counts.indexed / seconds).toFixed(2).padStart(7)}  ${String(
        segments,
      ).padStart(8)}  ${note}`,
    );
  }
  await engine.close();
}

async function benchQueries(modelsDir: string, size: number): Promise<void> {
  const indexDir = await mkdtemp(join(tmpdir(), `mmrag-bench-${size}-`));
  const { writeSeconds, optimizeSeconds } = await writeSyntheticIndex({
    indexDir,
    modelsDir,
    segments: size,
    seed: size,
  });
  const next = random(size + 1);

  const engine = await createEngine({ indexDir, modelsDir, offline: true, readOnly: true });
  const queries = Array.from({ length: quick ? 30 : 100 }, () => sentence(next, 4));
  await engine.search(queries[0]!); // warm: model load and first table open

  const timings: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    await engine.search(query, { k: 10 });
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  await engine.close();

  console.log(
    `${String(size).padStart(7)} segments: write ${writeSeconds.toFixed(1)} s, optimize ` +
      `${optimizeSeconds.toFixed(1)} s; search p50 ${percentile(timings, 50).toFixed(1)} ms, ` +
      `p95 ${percentile(timings, 95).toFixed(1)} ms (embed query + text dense + BM25 + fuse)`,
  );
}

async function benchEmbeddingOverhead(modelsDir: string): Promise<void> {
  const set = resolveModelSet(FIXTURE_MODEL_SET);
  const provider = createModelProvider({ set, modelsDir, offline: true });
  const embedder = await provider.textEmbedder();
  const next = random(7);
  const batch = Array.from({ length: 32 }, () => sentence(next, 40));
  const rounds = quick ? 20 : 100;

  // Ours: tokenise, run, pool, normalise, as ingest does.
  await embedder.embed(batch);
  let started = performance.now();
  for (let i = 0; i < rounds; i++) await embedder.embed(batch);
  const ours = (rounds * batch.length) / ((performance.now() - started) / 1000);

  // Bare: the same ONNX file in an onnxruntime-node session, inputs tokenised once up front.
  const folder = join(modelsDir, set.text.id);
  const tokenizer = await AutoTokenizer.from_pretrained(folder);
  const encoded = tokenizer(batch, { padding: true, truncation: true, max_length: 256 });
  const session = await ort.InferenceSession.create(join(folder, 'onnx', 'model.onnx'));
  const toTensor = (tensor: unknown) => {
    const { data, dims } = tensor as { data: BigInt64Array; dims: number[] };
    return new ort.Tensor('int64', data, dims);
  };
  const feeds: Record<string, ort.Tensor> = {
    input_ids: toTensor(encoded.input_ids),
    attention_mask: toTensor(encoded.attention_mask),
  };
  if (session.inputNames.includes('token_type_ids')) {
    feeds.token_type_ids = toTensor(encoded.token_type_ids);
  }
  await session.run(feeds);
  started = performance.now();
  for (let i = 0; i < rounds; i++) await session.run(feeds);
  const bare = (rounds * batch.length) / ((performance.now() - started) / 1000);

  // Bare with tokenising each round: what is left of the gap is our own layer.
  started = performance.now();
  for (let i = 0; i < rounds; i++) {
    const round = tokenizer(batch, { padding: true, truncation: true, max_length: 256 });
    const roundFeeds: Record<string, ort.Tensor> = {
      input_ids: toTensor(round.input_ids),
      attention_mask: toTensor(round.attention_mask),
    };
    if (feeds.token_type_ids) roundFeeds.token_type_ids = toTensor(round.token_type_ids);
    await session.run(roundFeeds);
  }
  const bareTokenizing = (rounds * batch.length) / ((performance.now() - started) / 1000);
  await provider.dispose();

  console.log('\nText embedding, batch of 32 sentences of 40 words (GloVe SIF model)');
  console.log(`  mmrag TextEmbedder.embed: ${ours.toFixed(0)} sentences/s`);
  console.log(`  bare onnxruntime session: ${bare.toFixed(0)} sentences/s (pre-tokenised)`);
  console.log(`  bare session + tokenizer:  ${bareTokenizing.toFixed(0)} sentences/s`);
  console.log(`  ratio ours/bare: ${(ours / bare).toFixed(2)} (tokenising is the gap)`);
  console.log(`  ratio ours/(bare + tokenizer): ${(ours / bareTokenizing).toFixed(2)}`);
}

const modelsDir = await fixtureModelsDir();
console.log(
  `mmrag bench${quick ? ' (quick)' : ''}: ${new Date().toISOString()}, node ${process.version}`,
);
await benchIngest(modelsDir);
console.log('\nQuery latency (k = 10)');
for (const size of quick ? [10_000] : [10_000, 100_000]) await benchQueries(modelsDir, size);
await benchEmbeddingOverhead(modelsDir);
const peak = process.resourceUsage().maxRSS / 1024;
console.log(`\nPeak resident memory: ${peak.toFixed(0)} MiB`);
