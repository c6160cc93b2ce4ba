/**
 * The model set the end-to-end tests run: the real GloVe text embedder, the designed CLIP and
 * Whisper fixtures, and real tesseract OCR, all from `.models/` with remote loading off.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtureModels, FIXTURE_MODELS_DIR } from '../../scripts/build-fixture-models.js';
import type { ModelSetInput } from '../../src/config/model-sets.js';
import type { EngineOptions } from '../../src/config/options.js';

export const FIXTURE_MODEL_SET: ModelSetInput = {
  name: 'fixtures',
  text: { id: 'mmrag/glove-sif-100d', pooling: 'mean', maxTokens: 256, minSimilarity: 0.2 },
  // The colour fixture gives unrelated text-image pairs 0.15 and a colour's match near 1.
  vision: { id: 'fixtures/clip-colors', minSimilarity: 0.3 },
  speech: { id: 'fixtures/whisper-tones' },
  ocr: { languages: ['eng'] },
};

/** Builds the fixture models when a test runs before `npm run fixtures` did. */
export async function fixtureModelsDir(): Promise<string> {
  const ready = ['mmrag/glove-sif-100d', 'fixtures/clip-colors', 'fixtures/whisper-tones'].every(
    (id) => existsSync(join(FIXTURE_MODELS_DIR, id, 'config.json')),
  );
  if (!ready) await buildFixtureModels();
  return FIXTURE_MODELS_DIR;
}

export async function fixtureEngineOptions(indexDir: string): Promise<EngineOptions> {
  return {
    indexDir,
    models: FIXTURE_MODEL_SET,
    modelsDir: await fixtureModelsDir(),
    offline: true,
  };
}
