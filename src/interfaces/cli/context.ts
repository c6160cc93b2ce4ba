/** Global flags, merged over the config file, become engine options. */
import { loadConfigFile } from '../../config/config-file.js';
import type { EngineOptions } from '../../config/options.js';
import { createEngine, type Engine } from '../../engine.js';
import { MmragError } from '../../errors.js';
import { createDownloadProgress, progressWanted } from './progress.js';

export interface GlobalFlags {
  index?: string;
  models?: string;
  modelsDir?: string;
  offline?: boolean;
  config?: string;
  json?: boolean;
}

export interface CliContext {
  engine: Engine;
  json: boolean;
  /** Defaults from the config file for command flags (k, includeHidden...). */
  config: Awaited<ReturnType<typeof loadConfigFile>>;
  close(): Promise<void>;
}

export async function openCli(flags: GlobalFlags, extra: Partial<EngineOptions> = {}) {
  const config = await loadConfigFile(flags.config);
  const json = flags.json ?? false;

  if (flags.models !== undefined && flags.models !== 'full' && flags.models !== 'lite') {
    throw new MmragError('USAGE', `--models must be "full" or "lite", not "${flags.models}".`, {
      hint: 'A custom model set goes in the "models" field of mmrag.config.json.',
    });
  }
  const downloads = createDownloadProgress(progressWanted(json));
  const engine = await createEngine({
    indexDir: flags.index ?? config.index,
    models: flags.models as 'full' | 'lite' | undefined,
    // The config file's set is for new indexes; an existing index keeps the set it was built with.
    newIndexModels: config.models,
    modelsDir: flags.modelsDir ?? config.modelsDir,
    offline: flags.offline ?? config.offline,
    fusion: config.fusion,
    limits: config.limits,
    onModelProgress: downloads.onModelProgress,
    ...extra,
  });

  const context: CliContext = {
    engine,
    json,
    config,
    async close() {
      downloads.stop();
      await engine.close();
    },
  };
  return context;
}

/** Prints `value` as one JSON object on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
