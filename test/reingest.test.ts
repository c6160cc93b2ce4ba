/**
 * Issue 3, re-ingest and sync: a second run changes nothing and says so, an edit replaces
 * exactly that file's segments, sync and remove drop what should go, and a new pipeline version
 * or model set re-embeds what it must, saying why.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { createEngine, type Engine } from '../src/index.js';
import { openLanceStore } from '../src/store/lancedb/index.js';
import { FIXTURE_MODEL_SET, fixtureEngineOptions } from './helpers/e2e-fixture-models.js';

const THREE_SECTIONS = (middle: string) =>
  `# Garden\n\n## Vegetables\n\nThe tomatoes need water every evening.\n\n` +
  `## Flowers\n\n${middle}\n\n## Tools\n\nThe rake hangs in the shed by the door.\n`;

describe('re-ingest, sync and remove', () => {
  let root: string;
  let docs: string;
  let indexDir: string;
  let engine: Engine;

  const paths = async (query: string) =>
    (await engine.search(query, { k: 20 })).results.map((hit) => hit.path);

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'mmrag-reingest-'));
    docs = join(root, 'docs');
    await mkdir(docs);
    await writeFile(
      join(docs, 'garden.md'),
      THREE_SECTIONS('The roses bloom in June by the wall.'),
    );
    await writeFile(join(docs, 'boat.txt'), 'The sailing boat is moored in the harbour.\n');
    await writeFile(join(docs, 'bike.txt'), 'The bicycle chain needs oil after rain.\n');
    await writeFile(
      join(docs, 'red.png'),
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#dc1e1e' } })
        .png()
        .toBuffer(),
    );
    indexDir = join(root, 'index');
    engine = await createEngine(await fixtureEngineOptions(indexDir));
    const first = await engine.ingest([docs]);
    assert.equal(first.counts.indexed, 4, JSON.stringify(first.files, null, 2));
  });

  after(async () => {
    await engine?.close();
  });

  test('ingesting the same folder twice changes nothing and says so (0 new, 4 unchanged)', async () => {
    const before = await engine.status();
    const again = await engine.ingest([docs]);
    assert.deepEqual(
      { indexed: again.counts.indexed, unchanged: again.counts.unchanged },
      { indexed: 0, unchanged: 4 },
    );
    assert.deepEqual((await engine.status()).segments, before.segments);
  });

  test('editing one paragraph replaces exactly that file’s segments, with no stale text', async () => {
    const before = await engine.status();
    await writeFile(
      join(docs, 'garden.md'),
      THREE_SECTIONS('The tulips open in April along the fence.'),
    );
    const report = await engine.ingest([docs]);
    assert.equal(report.counts.indexed, 1);
    assert.equal(report.counts.unchanged, 3);
    assert.equal(
      report.files.find((file) => file.status === 'indexed')?.path,
      join(docs, 'garden.md'),
    );

    assert.deepEqual((await engine.status()).segments, before.segments, 'segment count moved');
    assert.equal((await paths('tulips open april fence'))[0], join(docs, 'garden.md'));
    const roses = await engine.search('roses bloom june wall', { k: 20 });
    assert.ok(
      roses.results.every((hit) => !/roses/.test(hit.snippet)),
      'stale text found',
    );
  });

  test('sync removes what vanished from the folder; remove drops a file on request', async () => {
    await rm(join(docs, 'bike.txt'));
    const synced = await engine.ingest([docs], { sync: true });
    assert.equal(synced.counts.removed, 1);
    assert.equal(
      synced.files.find((file) => file.status === 'removed')?.path,
      join(docs, 'bike.txt'),
    );
    assert.ok(!(await paths('bicycle chain oil rain')).includes(join(docs, 'bike.txt')));

    const removed = await engine.remove([join(docs, 'boat.txt')]);
    assert.deepEqual(
      removed.map((file) => [file.path, file.status]),
      [[join(docs, 'boat.txt'), 'removed']],
    );
    assert.ok(!(await paths('sailing boat harbour')).includes(join(docs, 'boat.txt')));
    assert.deepEqual((await engine.status()).files, { text: 1, image: 1 });
  });

  test('a pipeline version bump re-embeds the file and says so', async () => {
    // An index written by an older mmrag: the same record, under pipeline version 0.
    await engine.close();
    const store = await openLanceStore({ dir: join(indexDir, 'store'), mode: 'write' });
    const record = (await store.getSource(join(docs, 'garden.md')))!;
    const older = record.pipelineKey.replace(/^v\d+;/, 'v0;');
    await store.commit({ upsertSources: [{ ...record, pipelineKey: older }] });
    await store.close();

    engine = await createEngine(await fixtureEngineOptions(indexDir));
    const report = await engine.ingest([docs]);
    const garden = report.files.find((file) => file.path === join(docs, 'garden.md'));
    assert.equal(garden?.status, 'indexed');
    assert.match(garden!.notes!.join('; '), /re-embedded: pipeline version changed from 0 to \d+/);
    assert.equal(report.counts.unchanged, 1);
  });

  test('another model set is refused, naming --reembed; with reembed every file is redone', async () => {
    const textOnly = { ...FIXTURE_MODEL_SET, name: 'text-only', vision: null };
    const options = { ...(await fixtureEngineOptions(indexDir)), models: textOnly };
    await engine.close();
    await assert.rejects(createEngine(options), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'MODEL_MISMATCH');
      assert.match(error.message, /--reembed/);
      return true;
    });

    // Only a subfolder that does not exist in the index is named: the rest comes along anyway.
    const more = join(root, 'more');
    await mkdir(more);
    await writeFile(join(more, 'kite.txt'), 'The kite flies high above the dunes.\n');
    engine = await createEngine({ ...options, reembed: true });
    const report = await engine.ingest([more]);
    assert.equal(report.counts.failed, 0, JSON.stringify(report.files, null, 2));
    const redone = report.files.filter((file) => file.path.startsWith(docs));
    // boat.txt came back with the previous test's ingest of the folder.
    assert.deepEqual(redone.map((file) => file.path).sort(), [
      join(docs, 'boat.txt'),
      join(docs, 'garden.md'),
      join(docs, 'red.png'),
    ]);
    const garden = redone.find((file) => file.path.endsWith('garden.md'))!;
    assert.match(
      garden.notes!.join('; '),
      /re-embedded: image-text model changed from fixtures\/clip-colors to none/,
    );

    const status = await engine.status();
    assert.equal(status.models.name, 'text-only');
    assert.equal(status.segments.vision, 0);
    assert.equal((await paths('tulips april'))[0], join(docs, 'garden.md'));
    assert.equal((await paths('kite dunes'))[0], join(more, 'kite.txt'));

    // The switch is recorded: the same set now opens without --reembed, and nothing is redone.
    await engine.close();
    engine = await createEngine(options);
    const again = await engine.ingest([docs, more]);
    assert.equal(again.counts.indexed, 0);
  });
});
