/**
 * The command line as scripts use it: exit codes, --json shapes, and the messages a person
 * reads when something is wrong.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { CLI_BIN, type CliResult, TSX_LOADER, writeFixtureConfig } from './helpers/cli-process.js';
import { textPng } from './helpers/docs-visual-images.js';

type Run = CliResult;

function mmrag(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI_BIN, ...args], {
      cwd,
      env: { ...process.env, MMRAG_MODELS_DIR: join(cwd, 'no-models-here') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('mmrag CLI', () => {
  let work: string;
  let docs: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'mmrag-cli-'));
    docs = join(work, 'docs');
    await mkdir(docs);
    await writeFile(join(docs, 'note.md'), '# Garden\n\nThe tomatoes need water every evening.\n');
    await writeFile(join(docs, 'sign.png'), await textPng({ lines: ['Fire exit', 'Keep clear'] }));
    const png = await textPng({ lines: ['half a picture'] });
    await writeFile(
      join(docs, 'broken.jpg'),
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), png.subarray(0, 200)]),
    );
    await writeFixtureConfig(work);
  });

  test('ingest reports the broken file, indexes the rest, and exits 3', async () => {
    const run = await mmrag(['ingest', docs, '--json'], work);
    assert.equal(run.code, 3, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.counts.indexed, 2);
    assert.equal(report.counts.failed, 1);
    const failed = report.files.find((file: { status: string }) => file.status === 'failed');
    assert.equal(failed.path, join(docs, 'broken.jpg'));
    assert.ok(failed.reason.length > 10);
  });

  test('search --json gives the documented shape', async () => {
    const run = await mmrag(['search', 'tomatoes', 'water', '--json', '--k', '3'], work);
    assert.equal(run.code, 0, run.stderr);
    const body = JSON.parse(run.stdout);
    assert.ok(body.results.length >= 1 && body.results.length <= 3);
    const top = body.results[0];
    assert.equal(top.path, join(docs, 'note.md'));
    for (const key of ['path', 'modality', 'locator', 'snippet', 'score', 'segmentId']) {
      assert.ok(key in top, `missing ${key}`);
    }
    assert.equal(typeof top.locator.charStart, 'number');
  });

  test('the human output names the file and where in it', async () => {
    const run = await mmrag(['search', 'fire exit'], work);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /sign\.png/);
    assert.match(run.stdout, /box \d+,\d+–\d+,\d+%/);
  });

  test('an empty query is a usage error, exit 2, one line', async () => {
    const run = await mmrag(['search', '   '], work);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /query is empty/);
    assert.doesNotMatch(run.stderr, /at .*\.ts:\d+/);
  });

  test('status lists files per modality and the failure with its reason', async () => {
    const run = await mmrag(['status', '--json'], work);
    assert.equal(run.code, 0, run.stderr);
    const status = JSON.parse(run.stdout);
    assert.deepEqual(status.files, { text: 1, image: 1 });
    assert.equal(status.failed[0].path, join(docs, 'broken.jpg'));
  });

  test("a config file's models apply to new indexes, not to one built otherwise", async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'mmrag-cli-config-'));
    await writeFile(join(elsewhere, 'mmrag.config.json'), JSON.stringify({ models: 'lite' }));
    const run = await mmrag(['status', '--json', '--index', join(work, '.mmrag')], elsewhere);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).models.name, 'fixtures');
  });

  test('a model that cannot be fetched is an error naming models pull and --models lite', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'mmrag-cli-full-'));
    const run = await mmrag(['ingest', docs, '--models', 'full'], fresh);
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, /mmrag models pull/);
    assert.match(run.stderr, /--models lite/);
  });

  test('offline with a missing folder names the folder expected', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'mmrag-cli-offline-'));
    const run = await mmrag(['ingest', docs, '--models', 'full', '--offline'], fresh);
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, /no-models-here\/Xenova\/bge-small-en-v1\.5/);
  });

  test('--help lists the commands and exit codes', async () => {
    const run = await mmrag(['--help'], work);
    assert.equal(run.code, 0);
    for (const word of ['ingest', 'search', 'status', 'models', 'Exit codes']) {
      assert.match(run.stdout, new RegExp(word));
    }
  });
});
