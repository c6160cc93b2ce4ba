/**
 * Issue 3, crashes: the real CLI is killed with SIGKILL in the middle of an ingest, or stopped
 * with Ctrl-C (SIGINT); the index must open, answer, hold every file whole or not at all, and
 * the next run must finish only what was left.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createEngine } from '../src/index.js';
import { fixtureEngineOptions } from './helpers/e2e-fixture-models.js';
import {
  assertWholeFiles,
  indexedPaths,
  makeWorkFolder,
  spawnMmrag,
  waitForIndexed,
} from './helpers/hostile-cli.js';

const FILES = 60;

describe('crashes and Ctrl-C during ingest', () => {
  test('SIGKILL mid-ingest: the index opens, answers, holds whole files; a rerun finishes the rest', async () => {
    const { work, notes } = await makeWorkFolder(FILES);
    const indexDir = join(work, '.mmrag');

    const run = spawnMmrag(['ingest', notes, '--json'], work);
    await waitForIndexed(indexDir, 3, run);
    run.child.kill('SIGKILL');
    const killed = await run.done;
    assert.equal(killed.signal, 'SIGKILL');

    const committed = await assertWholeFiles(indexDir);
    assert.ok(committed >= 3 && committed < FILES, `${committed} files committed before the kill`);

    // It opens and answers, in this process, while nothing holds it.
    const engine = await createEngine(await fixtureEngineOptions(indexDir));
    try {
      const { results } = await engine.search('note about the harbour');
      assert.ok(results.length > 0);
      assert.equal((await engine.status()).files.text, committed);
    } finally {
      await engine.close();
    }

    // The dead writer's lock is taken over; only what was left is indexed.
    const rerun = await spawnMmrag(['ingest', notes, '--json'], work).done;
    assert.equal(rerun.code, 0, rerun.stderr);
    const report = JSON.parse(rerun.stdout);
    assert.equal(report.counts.unchanged, committed);
    assert.equal(report.counts.indexed, FILES - committed);
    assert.equal(await assertWholeFiles(indexDir), FILES);
  });

  test('Ctrl-C stops after the file in flight: exit 130, whole files, a rerun finishes', async () => {
    const { work, notes } = await makeWorkFolder(FILES);
    const indexDir = join(work, '.mmrag');

    const run = spawnMmrag(['ingest', notes, '--json'], work);
    await waitForIndexed(indexDir, 1, run);
    // Frozen while the signal arrives, so the run cannot end on its own before it is read.
    run.child.kill('SIGSTOP');
    run.child.kill('SIGINT');
    run.child.kill('SIGCONT');
    const stopped = await run.done;
    assert.equal(stopped.code, 130, stopped.stderr);

    const report = JSON.parse(stopped.stdout);
    assert.equal(report.aborted, true);
    const committed = (await indexedPaths(indexDir)).length;
    assert.equal(report.counts.indexed, committed, 'the report and the index disagree');
    assert.ok(committed < FILES);
    assert.equal(await assertWholeFiles(indexDir), committed);

    const rerun = await spawnMmrag(['ingest', notes, '--json'], work).done;
    assert.equal(rerun.code, 0, rerun.stderr);
    const finished = JSON.parse(rerun.stdout);
    assert.equal(finished.counts.unchanged, committed);
    assert.equal(finished.counts.indexed, FILES - committed);
  });
});
