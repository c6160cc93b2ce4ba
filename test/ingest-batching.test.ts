/**
 * Ingest commits several files in one store write: fewer commits, each file still whole or not
 * at all, duplicates inside one batch stored once, a refused batch reported as failed files,
 * and a stopped run's processed files committed.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveModelSet } from '../src/config/model-sets.js';
import { limitsSchema } from '../src/config/options.js';
import { ingestFiles } from '../src/ingest/ingest-files.js';
import { createModelProvider, type ModelProvider } from '../src/models/model-provider.js';
import { openLanceStore } from '../src/store/lancedb/index.js';
import type { CommitBatch, Store } from '../src/store/store.js';
import { FIXTURE_MODEL_SET, fixtureModelsDir } from './helpers/e2e-fixture-models.js';

/** The real store, counting commits, and refusing them while `refuse` is set. */
function watched(store: Store) {
  const state = { commits: 0, refuse: false };
  const proxy: Store = Object.create(store);
  proxy.commit = async (batch: CommitBatch) => {
    if (state.refuse) throw new Error('disk full');
    state.commits += 1;
    return store.commit(batch);
  };
  return { store: proxy, state };
}

async function notes(dir: string, count: number, prefix = 'note'): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    await writeFile(
      join(dir, `${prefix}-${i}.md`),
      `# Note ${i}\n\nThe meeting number ${i} was about budgets.\n`,
    );
  }
  return dir;
}

describe('ingest commits in batches', () => {
  let root: string;
  let models: ModelProvider;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'mmrag-batching-'));
    models = createModelProvider({
      set: resolveModelSet(FIXTURE_MODEL_SET),
      modelsDir: await fixtureModelsDir(),
      offline: true,
    });
  });

  after(async () => {
    await models?.dispose();
  });

  async function open(name: string) {
    const lance = await openLanceStore({ dir: join(root, name) });
    return { lance, ...watched(lance) };
  }
  const context = (store: Store) => ({
    store,
    models,
    pipelineKey: 'test',
    limits: limitsSchema.parse({}),
  });

  test('forty notes land in two commits, every one indexed', async () => {
    const folder = await notes(join(root, 'forty'), 40);
    const { lance, store, state } = await open('forty-index');
    const report = await ingestFiles([folder], { batchLimits: { maxMs: 60_000 } }, context(store));
    assert.equal(report.counts.indexed, 40);
    assert.ok(state.commits <= 2, `${state.commits} commits`);
    assert.equal((await lance.listSources()).filter((s) => s.status === 'indexed').length, 40);
    assert.equal((await lance.countSegments()).text, 40);
    await lance.close();
  });

  test('the same bytes twice in one batch, and the same path twice, are stored once', async () => {
    const folder = join(root, 'twins');
    await mkdir(folder);
    const body = '# Twins\n\nBoth files hold these very words about the harbour.\n';
    await writeFile(join(folder, 'a.md'), body);
    await writeFile(join(folder, 'b.md'), body);
    const { lance, store } = await open('twins-index');
    const report = await ingestFiles(
      [folder, join(folder, 'a.md')],
      { batchLimits: { maxMs: 60_000 } },
      context(store),
    );
    assert.equal(report.counts.failed, 0);
    const byPath = Object.fromEntries(report.files.map((f) => [f.path.split('/').at(-1), f]));
    assert.equal(byPath['b.md']?.status, 'indexed');
    assert.deepEqual(byPath['b.md']?.notes, ['same content as an indexed file']);
    assert.equal((await lance.countSegments()).text, 1, 'the content is stored once');
    const hash = (await lance.getSource(join(folder, 'a.md')))!.contentHash;
    assert.deepEqual((await lance.pathsForContent(hash)).sort(), [
      join(folder, 'a.md'),
      join(folder, 'b.md'),
    ]);
    await lance.close();
  });

  test('a refused batch reports its files failed with the reason; a rerun indexes them', async () => {
    const folder = await notes(join(root, 'refused'), 5);
    const { lance, store, state } = await open('refused-index');
    state.refuse = true;
    const report = await ingestFiles([folder], { batchLimits: { maxMs: 60_000 } }, context(store));
    assert.equal(report.counts.indexed, 0);
    assert.equal(report.counts.failed, 5);
    assert.match(report.files[0]!.reason ?? '', /disk full/);
    assert.equal((await lance.listSources()).length, 0, 'nothing of the batch is in the index');

    state.refuse = false;
    const rerun = await ingestFiles([folder], {}, context(store));
    assert.equal(rerun.counts.indexed, 5);
    await lance.close();
  });

  test('a stopped run commits the files it processed, and reports just those', async () => {
    const folder = await notes(join(root, 'stopped'), 12);
    const { lance, store } = await open('stopped-index');
    const controller = new AbortController();
    let done = 0;
    const report = await ingestFiles(
      [folder],
      {
        signal: controller.signal,
        onProgress: (event) => {
          if (event.type === 'file-done' && ++done === 5) controller.abort();
        },
      },
      context(store),
    );
    assert.equal(report.aborted, true);
    assert.equal(report.counts.indexed, 5);
    assert.equal((await lance.listSources()).length, 5);
    await lance.close();
  });
});
