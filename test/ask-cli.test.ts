/**
 * `mmrag ask` as a person runs it: the extractive note and numbered sources with no generator,
 * `--json`, `--stream` on the local fixture model, Ctrl-C mid-answer (exit 130), and a server
 * error as one line with exit 4.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ChatServer, startChatServer } from './helpers/ask-chat-server.js';
import { buildAskIndex, CHAT_COPY } from './helpers/ask-fixtures.js';
import { CLI_BIN, type CliResult, TSX_LOADER } from './helpers/cli-process.js';
import { fixtureModelsDir } from './helpers/e2e-fixture-models.js';

type Run = CliResult;

let root: string;
let indexDir: string;
let modelsDir: string;
let server: ChatServer;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mmrag-ask-cli-'));
  ({ indexDir } = await buildAskIndex(root));
  modelsDir = await fixtureModelsDir();
  server = await startChatServer();
});

after(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

function start(args: string[]): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(
    process.execPath,
    ['--import', TSX_LOADER, CLI_BIN, 'ask', ...args, '--index', indexDir, '--offline'],
    {
      cwd: root,
      env: { ...process.env, MMRAG_MODELS_DIR: modelsDir, MMRAG_GENERATOR: '' },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

const mmrag = (args: string[]) => start(args).done;

describe('mmrag ask', () => {
  test('without a generator, says the answer is extractive and lists its sources', async () => {
    const run = await mmrag(['what did the radiologist say about the wrist?']);
    assert.equal(run.code, 0, run.stderr);
    const [first] = run.stdout.split('\n');
    assert.match(first!, /answer is extractive.*--generator local/);
    assert.match(run.stdout, /1\. "The radiologist reviewed .*" \[1\]/);
    assert.match(run.stdout, /Sources:\n\[1\] .*wrist\.txt · chars 0–138\n {4}The radiologist/);
  });

  test('--json prints the answer, citations, evidence, model and usage', async () => {
    const run = await mmrag(['how much did revenue grow?', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    for (const key of ['answer', 'citations', 'evidence', 'model', 'usage', 'supported']) {
      assert.ok(key in result, key);
    }
    assert.equal(result.model, 'extractive');
    const [citation] = result.citations;
    assert.deepEqual(Object.keys(citation).sort(), [
      'locator',
      'modality',
      'n',
      'path',
      'quote',
      'segmentId',
    ]);
    assert.match(citation.path, /revenue\.md$/);
  });

  test('--stream prints the local model answer as it is written, then the sources', async () => {
    const run = await mmrag([
      'what did the radiologist say about the wrist?',
      '--stream',
      '--generator',
      join(modelsDir, CHAT_COPY),
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /extractive/);
    assert.match(run.stdout, /^The radiologist reviewed .* six weeks\. \[1\]\n\nSources:\n\[1\] /);
  });

  test('Ctrl-C stops a streaming answer cleanly with exit 130', async () => {
    const { child, done } = start([
      'what did the radiologist say about the wrist?',
      '--stream',
      '--generator',
      server.baseUrl,
      '--generator-model',
      'drip',
    ]);
    let sent = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      if (!sent && chunk.toString().includes('word')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const run = await done;
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stdout, /word0/);
    assert.doesNotMatch(run.stdout, /word199/);
    assert.match(run.stderr, /Stopped/);
  });

  test('a failing server is one line naming it and the status, exit 4', async () => {
    const run = await mmrag([
      'what did the radiologist say about the wrist?',
      '--generator',
      server.baseUrl,
      '--generator-model',
      'bad',
    ]);
    assert.equal(run.code, 4);
    assert.match(
      run.stderr,
      /^mmrag: The chat server http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions answered 400/,
    );
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack');
  });
});
