/**
 * The quick start's main job: index ./examples and run a few searches with the real CLI.
 *
 * It first tries the full model set (a download from the Hugging Face hub on first use). Where
 * the hub cannot be reached it says so and uses the zero-download `lite` set instead.
 *
 *   npm run quickstart            # full set where possible, else lite
 *   npm run quickstart -- --lite  # lite straight away
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..');
const cli = join(repo, 'bin', 'mmrag.js');
const index = join(repo, '.mmrag');

function mmrag(args: string[], { quiet = false } = {}): number {
  if (!quiet) process.stdout.write(`\n$ mmrag ${args.join(' ')}\n`);
  const run = spawnSync(process.execPath, [cli, ...args, '--index', index], {
    cwd: repo,
    stdio: quiet ? ['ignore', 'ignore', 'pipe'] : 'inherit',
    encoding: 'utf8',
  });
  if (quiet && run.status !== 0 && run.stderr) process.stdout.write(run.stderr);
  return run.status ?? 1;
}

function chooseModels(): string[] {
  // An existing index keeps the models it was built with.
  if (existsSync(join(index, 'mmrag-index.json'))) return [];
  if (process.argv.includes('--lite')) return ['--models', 'lite'];

  process.stdout.write('Fetching the full model set (text, image-text, speech) from the hub...\n');
  if (mmrag(['models', 'pull', '--models', 'full'], { quiet: true }) === 0) {
    return ['--models', 'full'];
  }
  process.stdout.write(
    '\nThe full model set could not be fetched (above). Using the zero-download set ' +
      '"--models lite" instead: GloVe text vectors and tesseract OCR. Image similarity and ' +
      'speech need the full set; the voice memo and the wordless photo are skipped.\n',
  );
  return ['--models', 'lite'];
}

if (!existsSync(join(repo, 'dist', 'interfaces', 'cli', 'bin.js'))) {
  process.stderr.write('Build first: npm run build (npm ci does it for you).\n');
  process.exit(1);
}

const models = chooseModels();
const ingest = mmrag(['ingest', join(repo, 'examples'), ...models]);
if (ingest !== 0 && ingest !== 3) process.exit(ingest);

for (const query of [
  'x-ray of the left wrist',
  'invoice total',
  'when is the budget meeting',
  'revenue forecast for next quarter',
  'an orange sunset over the sea',
]) {
  mmrag(['search', query, '--k', '3']);
}
mmrag(['status']);
