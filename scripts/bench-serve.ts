/**
 * Load on a running `mmrag serve`: concurrent text searches on a 10k-segment index at 1, 8 and
 * 32 connections (throughput, p50/p95/p99, errors), then the same load while an ingest job
 * runs, to show that ingest does not block searches.
 *
 *   npm run bench:serve              # 2000 requests per level
 *   npm run bench:serve -- --quick   # 300 requests per level
 *
 * The server runs in its own process (the CLI, as a user starts it), so the load generator
 * (autocannon) does not share its event loop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { textPng } from '../test/helpers/docs-visual-images.js';
import { FIXTURE_MODEL_SET, fixtureModelsDir } from '../test/helpers/e2e-fixture-models.js';
import { random, sentence, writeSyntheticIndex } from './bench-corpus.js';

const quick = process.argv.includes('--quick');
const REQUESTS_PER_LEVEL = quick ? 300 : 2000;
const SEGMENTS = 10_000;
const CONNECTIONS = [1, 8, 32];

/** Starts `mmrag serve --port 0 --json` and resolves with its URL once it prints it. */
function startServe(cwd: string, args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const bin = join(import.meta.dirname, '..', 'src', 'interfaces', 'cli', 'bin.ts');
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), bin, 'serve', '--port', '0', '--json', ...args],
    { cwd, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/"url":\s*"([^"]+)"/);
      if (match) resolve({ url: match[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`mmrag serve exited with ${code}`)));
  });
}

interface LevelResult {
  connections: number;
  /** When each response arrived (ms since the epoch), in arrival order. */
  arrivals: number[];
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** `amount` searches over `connections` connections, each query drawn from the vocabulary. */
async function load(url: string, connections: number, amount: number): Promise<LevelResult> {
  const next = random(connections);
  const latencies: number[] = [];
  let finish: (result: autocannon.Result) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const options: autocannon.Options = {
    url,
    connections,
    amount,
    timeout: 30,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          path: `/v1/search?k=10&q=${encodeURIComponent(sentence(next, 3))}`,
        }),
      },
    ],
  };
  const instance = autocannon(options, (error, result) => (error ? fail(error) : finish(result)));
  const arrivals: number[] = [];
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime);
    arrivals.push(Date.now());
  });
  const result = await done;
  latencies.sort((a, b) => a - b);
  return {
    connections,
    arrivals,
    requests: result.requests.total,
    throughput: result.requests.total / (result.duration || 1),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

function row(label: string, result: LevelResult): string {
  return [
    label.padEnd(22),
    String(result.connections).padStart(5),
    String(result.requests).padStart(7),
    result.throughput.toFixed(0).padStart(8),
    result.p50.toFixed(1).padStart(8),
    result.p95.toFixed(1).padStart(8),
    result.p99.toFixed(1).padStart(8),
    String(result.errors).padStart(7),
  ].join(' ');
}

const work = await mkdtemp(join(tmpdir(), 'mmrag-bench-serve-'));
const indexDir = join(work, 'index');
const modelsDir = await fixtureModelsDir();
await writeFile(
  join(work, 'mmrag.config.json'),
  JSON.stringify({ models: FIXTURE_MODEL_SET, modelsDir, offline: true }),
);

// Pictures to ingest during the last round: OCR keeps the job busy for a while.
const inbox = join(work, 'inbox');
await mkdir(inbox);
for (let i = 0; i < (quick ? 10 : 40); i++) {
  await writeFile(join(inbox, `sign-${i}.png`), await textPng({ lines: [`Platform ${i}`] }));
  await writeFile(join(inbox, `note-${i}.md`), `# Note ${i}\n\n${sentence(random(i), 200)}\n`);
}

console.log(`Building a ${SEGMENTS}-segment index...`);
await writeSyntheticIndex({ indexDir, modelsDir, segments: SEGMENTS, seed: 7 });
const { url, child } = await startServe(work, ['--index', indexDir, '--allow-root', inbox]);

try {
  await load(url, 4, 100); // warm: model load, tables open

  console.log(
    `\n${'round'.padEnd(22)} ${'conns'.padStart(5)} ${'reqs'.padStart(7)} ${'req/s'.padStart(8)} ` +
      `${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}`,
  );
  for (const connections of CONNECTIONS) {
    console.log(row('search', await load(url, connections, REQUESTS_PER_LEVEL)));
  }

  // The same load while an ingest job runs; the job must still be running when the load ends.
  const accepted = await fetch(`${url}/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: inbox }),
  });
  const { jobId } = (await accepted.json()) as { jobId: string };
  const jobState = async () =>
    (await (await fetch(`${url}/v1/jobs/${jobId}`)).json()) as { status: string; done: number };

  while ((await jobState()).status === 'queued') await new Promise((r) => setTimeout(r, 20));

  // A poller notes when the job ends, to count the searches answered while it ran.
  let jobEndedAt = Number.POSITIVE_INFINITY;
  const poller = (async () => {
    while (!['done', 'failed'].includes((await jobState()).status)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    jobEndedAt = Date.now();
  })();
  const during = await load(url, 8, REQUESTS_PER_LEVEL);
  const beside = during.arrivals.filter((time) => time < jobEndedAt).length;
  console.log(row('search during ingest', during));
  await poller;
  const job = await jobState();
  console.log(
    `  ingest job: ${job.status}, ${job.done} files; ${beside} of ${during.requests} searches ` +
      'were answered while it ran',
  );
} finally {
  child.kill('SIGTERM');
}
