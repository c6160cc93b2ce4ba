/**
 * Builds the models the tests run, in hub layout under `.models/` (git-ignored):
 *   mmrag/glove-sif-100d     the lite text embedder, from GloVe vectors (npm)
 *   fixtures/clip-colors     a designed image-text model: colour words ↔ colours
 *   fixtures/whisper-tones   a designed Whisper: pure tones ↔ known words
 *   fixtures/chat-copy       a designed chat model: quotes the first evidence passage, cited
 * The weights are computed, not trained, so tests can assert what the models do. Builds are
 * deterministic.
 *
 *   npm run fixtures
 */
import { join } from 'node:path';
import { ensureGloveModel } from '../src/models/lite/glove-model.js';
import { buildChatCopyFixture } from './fixtures/chat-copy.js';
import { buildClipColorsFixture } from './fixtures/clip-colors.js';
import { buildWhisperTonesFixture } from './fixtures/whisper-tones.js';

export const FIXTURE_MODELS_DIR = join(import.meta.dirname, '..', '.models');

export async function buildFixtureModels(root = FIXTURE_MODELS_DIR): Promise<string> {
  await ensureGloveModel({ modelsDir: root });
  await buildClipColorsFixture(join(root, 'fixtures', 'clip-colors'));
  await buildWhisperTonesFixture(join(root, 'fixtures', 'whisper-tones'));
  await buildChatCopyFixture(join(root, 'fixtures', 'chat-copy'));
  return root;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  const root = await buildFixtureModels();
  process.stdout.write(`Fixture models in ${root} (${Date.now() - started} ms)\n`);
}
