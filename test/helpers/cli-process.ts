/**
 * What tests need to run the real CLI in a child process: the node arguments that start it
 * from source, the shape of a finished run, and a config file selecting the fixture models.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXTURE_MODEL_SET, fixtureModelsDir } from './e2e-fixture-models.js';

export const CLI_BIN = join(import.meta.dirname, '..', '..', 'src', 'interfaces', 'cli', 'bin.ts');

/** Resolved here, since the CLI runs in other folders where `tsx` is not a package. */
export const TSX_LOADER = import.meta.resolve('tsx');

/** Arguments for `process.execPath` that start the CLI; append the command's own. */
export const CLI_NODE_ARGS = ['--import', TSX_LOADER, CLI_BIN];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Writes `mmrag.config.json` in `dir`: the fixture models, offline. */
export async function writeFixtureConfig(dir: string, extra: object = {}): Promise<void> {
  const config = { models: FIXTURE_MODEL_SET, modelsDir: await fixtureModelsDir(), offline: true };
  await writeFile(join(dir, 'mmrag.config.json'), JSON.stringify({ ...config, ...extra }));
}
