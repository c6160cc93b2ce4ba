/**
 * Benchmarks `ask`: time to first token, tokens per second, and the share of the time spent in
 * retrieval, packing and generation, over a few questions on a small index.
 *
 *   npm run bench:ask                      # the local default generator, else the fixture model
 *   npm run bench:ask -- --generator SPEC  # any --generator value (a URL, a folder, local)
 *
 * The local default (Qwen2.5-0.5B-Instruct) needs the hub once; where it cannot be had, the
 * designed fixture model runs instead and the report says so: its figures measure mmrag's own
 * overhead (template, cache, streaming), not a language model.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGeneratorSpec } from '../src/config/model-sets.js';
import { createEngine } from '../src/engine.js';
import { buildFixtureModels, FIXTURE_MODELS_DIR } from './build-fixture-models.js';

const FILES: Record<string, string> = {
  'wrist.txt':
    'The radiologist reviewed the x-ray of the left wrist and found a hairline fracture of the ' +
    'scaphoid bone. She advised a cast for six weeks and a follow-up image after a month.',
  'revenue.md':
    '# Quarterly report\n\nRevenue grew twelve percent in the third quarter, driven by ' +
    'subscriptions in Europe. Costs stayed flat, so the margin rose to eighteen percent.\n',
  'garden.txt': 'Tomatoes need full sun, rich soil and regular watering through the summer.',
  'meeting.txt':
    'The budget meeting moved to Tuesday morning. The team will review the project deadline ' +
    'and the revenue forecast for next year.',
};
const QUESTIONS = [
  'what did the radiologist say about the wrist?',
  'how much did revenue grow in the third quarter?',
  'when is the budget meeting?',
  'what do tomatoes need?',
];

const flag = process.argv.indexOf('--generator');
const spec = flag >= 0 ? process.argv[flag + 1]! : 'local';
const modelsDir = process.env.MMRAG_MODELS_DIR ?? FIXTURE_MODELS_DIR;
await buildFixtureModels();

const root = await mkdtemp(join(tmpdir(), 'mmrag-bench-ask-'));
const files = join(root, 'files');
await mkdir(files);
for (const [name, text] of Object.entries(FILES)) await writeFile(join(files, name), text);
const models = {
  name: 'bench-ask',
  text: { id: 'mmrag/glove-sif-100d', pooling: 'mean' as const, maxTokens: 256 },
  vision: null,
  speech: null,
  ocr: null,
};
const indexDir = join(root, 'index');
const writer = await createEngine({
  indexDir,
  models,
  modelsDir: FIXTURE_MODELS_DIR,
  offline: true,
});
await writer.ingest([files]);
await writer.close();

async function open(generator: ReturnType<typeof parseGeneratorSpec>) {
  const engine = await createEngine({ indexDir, modelsDir, generator, readOnly: true });
  // The first answer loads the model; a failure to load means it is not available here.
  await engine.ask(QUESTIONS[0]!, { maxAnswerTokens: 8 }).result;
  return engine;
}

let engine: Awaited<ReturnType<typeof open>>;
let note = '';
try {
  engine = await open(parseGeneratorSpec(spec));
} catch (error) {
  const reason = (error as { code?: string }).code ?? (error as Error).message.slice(0, 60);
  note = `(${spec} unavailable here: ${reason}; ran the fixture model instead)`;
  engine = await open(parseGeneratorSpec(join(FIXTURE_MODELS_DIR, 'fixtures', 'chat-copy')));
}

const rows: {
  ttftMs: number;
  tokensPerSecond: number;
  total: number;
  r: number;
  p: number;
  g: number;
}[] = [];
for (const question of QUESTIONS) {
  const started = performance.now();
  const answer = engine.ask(question);
  let first = 0;
  for await (const _ of answer) first ||= performance.now();
  const ended = performance.now();
  const result = await answer.result;
  const { retrievalMs, packingMs, generationMs } = result.timings;
  const decodeSeconds = (ended - first) / 1000;
  rows.push({
    ttftMs: first - started,
    tokensPerSecond: decodeSeconds > 0 ? (result.usage.completionTokens - 1) / decodeSeconds : 0,
    total: ended - started,
    r: retrievalMs,
    p: packingMs,
    g: generationMs,
  });
}
await engine.close();
await rm(root, { recursive: true, force: true });

const mean = (pick: (row: (typeof rows)[number]) => number) =>
  rows.reduce((sum, row) => sum + pick(row), 0) / rows.length;
const total = mean((row) => row.total);
const share = (ms: number) => `${((100 * ms) / total).toFixed(1)} %`;
process.stdout.write(
  [
    `ask bench, generator ${spec} ${note}`.trim(),
    `  questions            ${rows.length}`,
    `  time to first token  ${mean((row) => row.ttftMs).toFixed(0)} ms (mean, retrieval included)`,
    `  tokens per second    ${mean((row) => row.tokensPerSecond).toFixed(1)}`,
    `  ask time             ${total.toFixed(0)} ms (mean)`,
    `  retrieval            ${share(mean((row) => row.r))}`,
    `  packing              ${share(mean((row) => row.p))}`,
    `  generation           ${share(mean((row) => row.g))}`,
    '',
  ].join('\n'),
);
