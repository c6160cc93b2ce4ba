/**
 * Driving the real CLI in another process for the crash, Ctrl-C and concurrency tests: a folder
 * of many notes, a spawned `mmrag`, a watch on the index from outside (readers take no lock),
 * and the check that every file the index calls indexed is there whole.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openLanceStore } from '../../src/store/lancedb/index.js';
import { CLI_BIN, TSX_LOADER, writeFixtureConfig } from './cli-process.js';

export interface CliRun {
  child: ChildProcess;
  /** Resolves when the process ends, with what it printed. */
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
  /** Everything printed on stderr so far. */
  stderr: () => string;
}

/** A work folder with the fixture models in its config, and `notes/` of `count` notes. */
export async function makeWorkFolder(count: number): Promise<{ work: string; notes: string }> {
  const work = await mkdtemp(join(tmpdir(), 'mmrag-cli-hostile-'));
  const notes = join(work, 'notes');
  await mkdir(notes);
  const topics = ['harbour', 'garden', 'kitchen', 'library', 'workshop', 'orchard', 'station'];
  for (let i = 0; i < count; i++) {
    const topic = topics[i % topics.length]!;
    // Several sections each, so every file is a commit of many segments.
    const sections = Array.from(
      { length: 12 },
      (_, s) =>
        `## Part ${s + 1}\n\nNote ${i} about the ${topic}: entry ${s} records what was ` +
        `seen near the ${topic} on day ${s + i}, with the weather and who was there.\n`,
    );
    await writeFile(
      join(notes, `note-${String(i).padStart(3, '0')}.md`),
      `# Note ${i}\n\n${sections.join('\n')}`,
    );
  }
  await writeFixtureConfig(work);
  return { work, notes };
}

export function spawnMmrag(args: string[], cwd: string): CliRun {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI_BIN, ...args], {
    cwd,
    env: { ...process.env, MMRAG_MODELS_DIR: join(cwd, 'no-models-here') },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<Awaited<CliRun['done']>>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, stderr: () => stderr };
}

/** Paths the index calls indexed, read from outside the writer. */
export async function indexedPaths(indexDir: string): Promise<string[]> {
  const store = await openLanceStore({ dir: join(indexDir, 'store'), mode: 'read' });
  try {
    const sources = await store.listSources();
    return sources.filter((source) => source.status === 'indexed').map((source) => source.path);
  } finally {
    await store.close();
  }
}

/** Waits until at least `count` files are committed (or the run ended), polling the index. */
export async function waitForIndexed(
  indexDir: string,
  count: number,
  run: CliRun,
  { timeoutMs = 60_000 } = {},
): Promise<number> {
  let ended = false;
  void run.done.then(() => {
    ended = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !ended) {
    try {
      const committed = (await indexedPaths(indexDir)).length;
      if (committed >= count) return committed;
    } catch {
      // The index does not exist yet.
    }
    await sleep(25);
  }
  assert.fail(`fewer than ${count} files committed (ended: ${ended}); ${run.stderr()}`);
}

/**
 * Every indexed file is whole: the segments stored equal the sum of the counts recorded with
 * each distinct content, which the same commit wrote. A half-written file would break it.
 */
export async function assertWholeFiles(indexDir: string): Promise<number> {
  const store = await openLanceStore({ dir: join(indexDir, 'store'), mode: 'read' });
  try {
    const byContent = new Map<string, number>();
    for (const source of await store.listSources()) {
      if (source.status === 'indexed') byContent.set(source.contentHash, source.segmentCount);
    }
    const recorded = [...byContent.values()].reduce((sum, n) => sum + n, 0);
    const counts = await store.countSegments();
    assert.equal(counts.text + counts.vision, recorded, 'segments stored ≠ segments recorded');
    assert.ok(
      [...byContent.values()].every((n) => n > 0),
      'an indexed file without segments',
    );
    return byContent.size;
  } finally {
    await store.close();
  }
}
