/** `mmrag ingest PATH...` and `mmrag sync PATH...`. */
import { modelSetLimits } from '../../../config/model-sets.js';
import { type GlobalFlags, openCli, printJson } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { formatIngestSummary } from '../format.js';
import { createIngestProgress, progressWanted } from '../progress.js';

export interface IngestFlags extends GlobalFlags {
  hidden?: boolean;
  gitignore?: boolean;
}

export async function runIngest(
  paths: string[],
  flags: IngestFlags,
  { sync }: { sync: boolean },
): Promise<number> {
  const cli = await openCli(flags);
  const progress = createIngestProgress(progressWanted(cli.json));

  // The first Ctrl-C finishes the file in flight and stops; a second one quits at once.
  const stop = new AbortController();
  const onInterrupt = () => {
    if (stop.signal.aborted) process.exit(ExitCode.interrupted);
    stop.abort();
    if (!cli.json)
      process.stderr.write('\nStopping after the current file (Ctrl-C again to quit now)\n');
  };
  process.on('SIGINT', onInterrupt);

  try {
    if (!cli.json) {
      for (const limit of modelSetLimits(cli.engine.models)) {
        process.stderr.write(`Models "${cli.engine.models.name}": ${limit}.\n`);
      }
    }
    const report = await cli.engine.ingest(paths, {
      includeHidden: flags.hidden ?? cli.config.includeHidden,
      respectGitignore: flags.gitignore ?? cli.config.respectGitignore,
      sync,
      signal: stop.signal,
      onProgress: progress.onProgress,
    });
    progress.stop();

    if (cli.json)
      printJson({ index: cli.engine.indexDir, models: cli.engine.models.name, ...report });
    else process.stdout.write(`${formatIngestSummary(report)}\n`);

    if (report.aborted) return ExitCode.interrupted;
    return report.counts.failed > 0 ? ExitCode.someFilesFailed : ExitCode.ok;
  } finally {
    progress.stop();
    process.off('SIGINT', onInterrupt);
    await cli.close();
  }
}
