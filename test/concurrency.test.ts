/**
 * Issue 3, concurrency: two ingest processes on one index. The second is refused with a clear
 * message while the first writes, or with --wait starts once it is done; the index ends with
 * every file once and no segment twice.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertWholeFiles, makeWorkFolder, spawnMmrag } from './helpers/hostile-cli.js';

const FILES = 30;

test('a second ingest is refused (exit 5, naming the pid), or with --wait queues behind', async () => {
  const { work, notes } = await makeWorkFolder(FILES);
  const indexDir = join(work, '.mmrag');

  // The first writer is frozen as soon as it holds the lock (files are committed in batches,
  // so waiting for a first indexed file could find the whole run already done).
  const first = spawnMmrag(['ingest', notes, '--json'], work);
  const lock = join(indexDir, 'store', 'writer.lock');
  for (let i = 0; i < 1200 && !existsSync(lock); i++) await sleep(25);
  assert.ok(existsSync(lock), `no writer lock at ${lock}: ${first.stderr()}`);
  first.child.kill('SIGSTOP');

  try {
    const refused = await spawnMmrag(['ingest', notes], work).done;
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(refused.stderr, new RegExp(`pid ${first.child.pid}\\b`));
    assert.match(refused.stderr, /--wait/);
    assert.doesNotMatch(refused.stderr, /at .*\.ts:\d+/, 'a stack for a user error');

    const waiting = spawnMmrag(['ingest', notes, '--json', '--wait'], work);
    for (let i = 0; i < 600 && !/waiting/.test(waiting.stderr()); i++) await sleep(50);
    assert.match(waiting.stderr(), new RegExp(`pid ${first.child.pid}.*waiting`));
    first.child.kill('SIGCONT');

    const [one, two] = await Promise.all([first.done, waiting.done]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    assert.equal(JSON.parse(one.stdout).counts.indexed, FILES);
    assert.equal(JSON.parse(two.stdout).counts.unchanged, FILES);
  } finally {
    first.child.kill('SIGCONT');
  }

  assert.equal(await assertWholeFiles(indexDir), FILES);
});
