/**
 * What a newcomer ran into on real files: sync of a deleted folder, hints that point nowhere,
 * relative and partial --path, parser errors without --json, counts that disagree between
 * commands, index folders left by failed commands, a closed engine, and long texts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { chunkText } from '../src/chunk/index.js';
import type { ModelSetInput } from '../src/config/model-sets.js';
import { createEngine, type Engine, MmragError } from '../src/index.js';
import { openLanceStore } from '../src/store/lancedb/index.js';
import { CLI_BIN, type CliResult, TSX_LOADER } from './helpers/cli-process.js';
import {
  FIXTURE_MODEL_SET,
  fixtureEngineOptions,
  fixtureModelsDir,
} from './helpers/e2e-fixture-models.js';
import { synthesizeSpeech, writeWav } from './helpers/speech-tones.js';

type Run = CliResult;

/** Runs the CLI; `command` may be a shell line, for arguments only a shell can spell. */
function mmrag(args: string[], cwd: string, options: { shell?: string; node?: string[] } = {}) {
  return new Promise<Run>((resolve) => {
    const node = [process.execPath, ...(options.node ?? []), '--import', TSX_LOADER, CLI_BIN];
    const child = options.shell
      ? spawn('sh', ['-c', `"$@" ${options.shell}`, 'sh', ...node], { cwd, env: cliEnv(cwd) })
      : spawn(node[0]!, [...node.slice(1), ...args], { cwd, env: cliEnv(cwd) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function cliEnv(cwd: string): NodeJS.ProcessEnv {
  return { ...process.env, MMRAG_MODELS_DIR: join(cwd, 'no-models-here') };
}

const rejectsWith = (code: string, pattern: RegExp) => (error: unknown) => {
  assert.ok(MmragError.isInstance(error), String(error));
  assert.equal(error.code, code);
  assert.match(error.message, pattern);
  return true;
};

describe('option parser errors', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'mmrag-ux-parse-'));
  });

  const cases = [
    ['search', 'x', '--bogus'],
    ['ingest'],
    ['remove'],
    ['status', '--models', 'bogus'],
    [],
    ['frobnicate'],
  ];
  for (const args of cases) {
    test(`mmrag ${args.join(' ')} --json: a USAGE object on stdout, one line on stderr`, async () => {
      const run = await mmrag([...args, '--json'], work);
      assert.equal(run.code, 2, run.stderr);
      const body = JSON.parse(run.stdout);
      assert.equal(body.error.code, 'USAGE');
      assert.ok(body.error.message.length > 5);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.doesNotMatch(run.stderr, /Usage:|Options:/);
    });
  }

  test('without --json: the error and where the help is, not the whole help', async () => {
    const run = await mmrag(['search', 'x', '--bogus'], work);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /--bogus.*mmrag search --help/);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  });

  test('--help loads no engine: it works with the store and model packages unloadable', async () => {
    // A resolve hook that refuses the heavy packages: --help must not need them.
    const hook = join(work, 'refuse-heavy.mjs');
    await writeFile(
      join(work, 'hooks.mjs'),
      'export async function resolve(specifier, context, next) {\n' +
        "  if (/@lancedb|@huggingface|onnxruntime|sharp/.test(specifier)) throw new Error('loaded ' + specifier);\n" +
        '  return next(specifier, context);\n}\n',
    );
    await writeFile(
      hook,
      "import { register } from 'node:module';\n" +
        `register(${JSON.stringify(new URL(`file://${join(work, 'hooks.mjs')}`).href)});\n`,
    );
    const help = await mmrag(['--help'], work, { node: ['--import', hook] });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Exit codes:/);
    const ingestHelp = await mmrag(['ingest', '--help'], work, { node: ['--import', hook] });
    assert.equal(ingestHelp.code, 0, ingestHelp.stderr);
    assert.match(ingestHelp.stdout, /--max-text-mb/);
    // The hook does bite: a command that needs the engine fails to load it.
    const search = await mmrag(['search', 'x'], work, { node: ['--import', hook] });
    assert.notEqual(search.code, 0);
  });
});

describe('engine: sync, paths, counts, failed runs, close', () => {
  let root: string;
  let engine: Engine;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'mmrag-ux-engine-'));
    engine = await createEngine(await fixtureEngineOptions(join(root, 'index')));
  });

  after(async () => {
    await engine?.close();
  });

  test('sync on a deleted folder removes its files and reports them removed', async () => {
    const gone = join(root, 'gone');
    await mkdir(gone);
    await writeFile(join(gone, 'kite.txt'), 'The kite flew above the orchard.\n');
    const first = await engine.ingest([gone]);
    assert.equal(first.counts.indexed, 1);
    assert.deepEqual(
      (await engine.search('kite orchard')).results.map((r) => r.path),
      [join(gone, 'kite.txt')],
    );

    await rm(gone, { recursive: true });
    const report = await engine.ingest([gone], { sync: true });
    assert.equal(report.counts.removed, 1);
    assert.equal(report.files[0]?.path, join(gone, 'kite.txt'));
    assert.deepEqual((await engine.search('kite orchard')).results, []);
    // Without sync, a missing path is still a typo.
    await assert.rejects(engine.ingest([gone]), rejectsWith('USAGE', /No such file or folder/));
  });

  test('--path matches whole components: ann holds ann/x, not anna/x', async () => {
    for (const name of ['ann', 'anna']) {
      await mkdir(join(root, name));
      await writeFile(join(root, name, 'lease.txt'), `The lease of ${name} ends in May.\n`);
    }
    await engine.ingest([join(root, 'ann'), join(root, 'anna')]);
    const under = async (prefix: string) =>
      (await engine.search('lease', { pathPrefixes: [prefix] })).results.map((r) => r.path);
    assert.deepEqual(await under(join(root, 'ann')), [join(root, 'ann', 'lease.txt')]);
    assert.deepEqual(await under(`${join(root, 'ann')}/`), [join(root, 'ann', 'lease.txt')]);
    assert.deepEqual(await under(join(root, 'an')), []);
    // The prefix may be the file itself.
    assert.deepEqual(await under(join(root, 'anna', 'lease.txt')), [
      join(root, 'anna', 'lease.txt'),
    ]);
  });

  test('a file skipped before is reported as skipped again, with its reason', async () => {
    const mixed = join(root, 'mixed');
    await mkdir(mixed);
    await writeFile(join(mixed, 'note.txt'), 'The ferry leaves at noon.\n');
    await writeFile(join(mixed, 'blob.bin'), Buffer.from([0, 1, 2, 3, 250, 251, 0, 7, 9]));
    const first = await engine.ingest([mixed]);
    assert.deepEqual([first.counts.indexed, first.counts.skipped], [1, 1]);
    const again = await engine.ingest([mixed]);
    assert.deepEqual(
      { unchanged: again.counts.unchanged, skipped: again.counts.skipped },
      { unchanged: 1, skipped: 1 },
    );
    const skipped = again.files.find((file) => file.status === 'skipped');
    const before = first.files.find((file) => file.status === 'skipped');
    assert.equal(skipped?.path, join(mixed, 'blob.bin'));
    assert.equal(skipped?.reason, before?.reason);
  });

  test('a text over limits.maxTextBytes is FILE_TOO_LARGE, naming --max-text-mb', async () => {
    const small = await createEngine({
      ...(await fixtureEngineOptions(join(root, 'small-index'))),
      limits: { maxTextBytes: 1000 },
    });
    try {
      const big = join(root, 'big.txt');
      await writeFile(big, 'The lighthouse keeper logs the weather. '.repeat(60));
      const report = await small.ingest([big]);
      assert.equal(report.files[0]?.code, 'FILE_TOO_LARGE');
      assert.match(report.files[0]?.reason ?? '', /--max-text-mb/);
    } finally {
      await small.close();
    }
  });

  test('a missing path or a missing model leaves no index folder behind', async () => {
    const indexDir = join(root, 'never-made');
    const missing = await createEngine(await fixtureEngineOptions(indexDir));
    await assert.rejects(
      missing.ingest([join(root, 'no-such-folder')]),
      rejectsWith('USAGE', /No such file or folder/),
    );
    await missing.close();
    assert.equal(existsSync(indexDir), false);

    const noModels = await createEngine({
      indexDir,
      models: 'full',
      modelsDir: join(root, 'empty-models'),
      offline: true,
    });
    await assert.rejects(noModels.ingest([join(root, 'ann')]), (error: unknown) => {
      assert.ok(MmragError.isInstance(error));
      assert.match(error.code, /^MODEL_/);
      return true;
    });
    await noModels.close();
    assert.equal(existsSync(indexDir), false);
  });

  test('a closed engine refuses every call with USAGE "The engine is closed."', async () => {
    const closing = await createEngine(await fixtureEngineOptions(join(root, 'index')));
    await closing.search('lease');
    await closing.close();
    const closed = rejectsWith('USAGE', /^The engine is closed\./);
    await assert.rejects(closing.search('lease'), closed);
    await assert.rejects(closing.status(), closed);
    await assert.rejects(closing.ingest([root]), closed);
    await assert.rejects(closing.remove([root]), closed);
    await assert.rejects(closing.listSources(), closed);
    await assert.rejects(closing.getSegment('x'), closed);
    assert.throws(() => closing.ask('lease'), closed);
  });

  test('a query image that cannot be read says what to check', async () => {
    await assert.rejects(
      engine.search({ image: join(root, 'no-such.png') }),
      rejectsWith('USAGE', /Cannot read the query image .*Check the path/),
    );
  });

  test('a locked index says "Wait for it to finish" with a capital', async () => {
    const dir = join(root, 'lock-store');
    const first = await openLanceStore({ dir, mode: 'write' });
    try {
      await assert.rejects(
        openLanceStore({ dir, mode: 'write' }),
        rejectsWith('INDEX_LOCKED', /\. Wait for it to finish/),
      );
    } finally {
      await first.close();
    }
  });
});

describe('skip hints name a way that works', () => {
  test('a recording and a wordless picture without the models name --models full and --reembed', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mmrag-ux-hints-'));
    const docs = join(root, 'docs');
    await mkdir(docs);
    await writeWav(join(docs, 'memo.wav'), [synthesizeSpeech(['hello', 'world'])], 16_000, 16);
    await writeFile(
      join(docs, 'red.png'),
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#dc1e1e' } })
        .png()
        .toBuffer(),
    );
    const textOnly: ModelSetInput = {
      name: 'text-only',
      text: FIXTURE_MODEL_SET.text,
      vision: null,
      speech: null,
      ocr: { languages: ['eng'] },
    };
    const engine = await createEngine({
      indexDir: join(root, 'index'),
      models: textOnly,
      modelsDir: await fixtureModelsDir(),
      offline: true,
    });
    try {
      const report = await engine.ingest([docs]);
      for (const name of ['memo.wav', 'red.png']) {
        const file = report.files.find((outcome) => outcome.path === join(docs, name));
        assert.equal(file?.status, 'skipped', JSON.stringify(file));
        assert.match(file?.reason ?? '', /--models full/);
        assert.match(file?.reason ?? '', /mmrag ingest --models full --reembed/);
      }
    } finally {
      await engine.close();
    }
  });
});

describe('chunking yields to the event loop', () => {
  test('timers run while a long text is counted, so Ctrl-C is handled mid-file', async () => {
    const text = 'The river rises after the spring rain. '.repeat(40_000);
    let turns = 0;
    let running = true;
    const tick = () => {
      turns += 1;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    let turnsWhenDone = -1;
    await chunkText([{ kind: 'body', text, locator: {} }], {
      maxTokens: 64,
      maxChars: 1024,
      // A synchronous count, as a tokenizer's is.
      countTokens: async (texts) => texts.map((t) => t.split(' ').length + 2),
    }).then(() => {
      turnsWhenDone = turns;
    });
    running = false;
    assert.ok(turnsWhenDone > 1, `the event loop got ${turnsWhenDone} turns during chunking`);
  });
});

describe('CLI: relative --path, remove counts and misses, status note', () => {
  let work: string;
  let corpus: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'mmrag-ux-cli-'));
    corpus = join(work, 'corpus');
    await mkdir(join(corpus, 'md'), { recursive: true });
    await writeFile(join(corpus, 'md', 'license.md'), '# License\n\nThe license is granted.\n');
    await writeFile(join(corpus, 'license.txt'), 'Another license outside md.\n');
    await writeFile(join(corpus, 'blob.bin'), Buffer.from([0, 1, 2, 3, 250, 251, 0, 7, 9]));
    await writeFile(
      join(corpus, 'mmrag.config.json'),
      JSON.stringify({
        index: join(work, 'index'),
        models: FIXTURE_MODEL_SET,
        modelsDir: await fixtureModelsDir(),
        offline: true,
      }),
    );
    const inputs = ['md', 'license.txt', 'blob.bin'];
    const run = await mmrag(['ingest', ...inputs, '--json', '--max-text-mb', '0.00001'], corpus);
    const report = JSON.parse(run.stdout);
    // 0.00001 MB is 10 bytes: both texts are too large; the flag is the limit.
    assert.equal(report.counts.failed, 2, run.stdout);
    const again = await mmrag(['ingest', ...inputs, '--json'], corpus);
    assert.equal(JSON.parse(again.stdout).counts.indexed, 2, again.stdout);
  });

  test('--path md, ./md/ and the absolute folder find md/license.md; a partial name does not', async () => {
    const paths = async (prefix: string) => {
      const run = await mmrag(['search', 'license', '--json', '--path', prefix], corpus);
      assert.equal(run.code, 0, run.stderr);
      return JSON.parse(run.stdout).results.map((r: { path: string }) => r.path);
    };
    const expected = [join(corpus, 'md', 'license.md')];
    assert.deepEqual(await paths('md'), expected);
    assert.deepEqual(await paths('./md/'), expected);
    assert.deepEqual(await paths(join(corpus, 'm')), []);
  });

  test('status says walk-time skips are not kept', async () => {
    const run = await mmrag(['status'], corpus);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Skipped \(1\)/);
    assert.match(run.stdout, /Not listed: what the walk left out/);
  });

  test('remove that matches nothing is exit 2 and suggests the escaped form', async () => {
    const run = await mmrag(['remove', join(work, 'nonexistent')], corpus);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Nothing in the index under .*nonexistent/);
    assert.match(run.stderr, /caf\\xE9\.txt/);

    const json = await mmrag(['remove', join(work, 'nonexistent'), '--json'], corpus);
    assert.equal(json.code, 2);
    assert.equal(JSON.parse(json.stdout).error.code, 'USAGE');

    // A name that is not UTF-8 reaches Node garbled; the message says so.
    const bytes = await mmrag([], corpus, {
      shell: `remove "$(printf '${join(corpus, 'caf')}\\351.txt')"`,
    });
    assert.equal(bytes.code, 2, bytes.stderr);
    assert.match(bytes.stderr, /not UTF-8/);
  });

  test('remove counts indexed files apart from records of skipped files', async () => {
    const run = await mmrag(['remove', corpus], corpus);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /Removed 2 indexed file\(s\) and 1 record\(s\) of skipped or failed files/,
    );
  });
});
