/**
 * Crash-test writer for test/store.test.ts: commits file-sized batches to the LanceDB store in
 * a loop until it is killed. Before each commit it prints `begin <path> <hash> <replaced>`, after
 * it `done …`, so the parent knows which batches committed and which one was in flight.
 *
 * Usage: node --import tsx scripts/store-crash-child.ts <index-dir> <round>
 */
import { openLanceStore } from '../src/store/lancedb/index.js';
import {
  axisVector,
  fileBatch,
  segment,
  TEXT_DIM,
  textSegments,
  VISION_DIM,
} from '../test/helpers/store-fixtures.js';

const [dir, round = '0'] = process.argv.slice(2);
if (!dir) throw new Error('usage: store-crash-child.ts <index-dir> <round>');

// Compacting every few commits puts optimize's table rewrites in the way of the kill too.
const store = await openLanceStore({ dir, autoOptimizeEvery: 4 });
await store.setSpaces({
  text: { model: 'test-text', dimension: TEXT_DIM },
  vision: { model: 'test-vision', dimension: VISION_DIM },
});
process.stdout.write(`open ${JSON.stringify(store.recovery)}\n`);

for (let i = 0; ; i++) {
  const filePath = `/files/f${i % 5}.txt`;
  const contentHash = `r${round}c${i}`;
  const replaced = (await store.getSource(filePath))?.contentHash;

  const segments = [
    ...textSegments(contentHash, 20, i),
    ...[0, 1].map((n) =>
      segment(contentHash, 20 + n, {
        space: 'vision',
        modality: 'image',
        vector: axisVector(VISION_DIM, n, 0.5),
        thumbnail: new Uint8Array([n, 1, 2, 3]),
      }),
    ),
  ];

  process.stdout.write(`begin ${filePath} ${contentHash} ${replaced ?? '-'}\n`);
  await store.commit(fileBatch({ path: filePath, contentHash, segments, replaces: replaced }));
  process.stdout.write(`done ${filePath} ${contentHash} ${replaced ?? '-'}\n`);
}
