/** `mmrag ingest PATH...` and `mmrag sync PATH...`. */
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfigFile } from '../../../config/config-file.js';
import { modelSetLimits } from '../../../config/model-sets.js';
import type { Limits } from '../../../config/options.js';
import { MmragError } from '../../../errors.js';
import type { IngestReport } from '../../../ingest/report.js';
import { type GlobalFlags, openCli, printJson } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { formatIngestSummary } from '../format.js';
import { createIngestProgress, progressWanted } from '../progress.js';

export interface IngestFlags extends GlobalFlags {
  hidden?: boolean;
  gitignore?: boolean;
  maxFileMb?: string;
  maxTextMb?: string;
  maxImageMegapixels?: string;
  maxAudioMinutes?: string;
  maxSecondsPerFile?: string;
  reembed?: boolean;
  wait?: boolean;
}

export { withIngestFlags } from '../ingest-flags.js';

/** How often a `--wait`ing ingest tries the writer lock again. */
const LOCK_RETRY_MS = 500;

export async function runIngest(
  paths: string[],
  flags: IngestFlags,
  { sync }: { sync: boolean },
): Promise<number> {
  const config = await loadConfigFile(flags.config);
  const limits = { ...config.limits, ...limitFlags(flags) };
  const cli = await openCli(flags, { limits, reembed: flags.reembed ?? false });
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
    const run = () =>
      cli.engine.ingest(paths, {
        includeHidden: flags.hidden ?? cli.config.includeHidden,
        respectGitignore: flags.gitignore ?? cli.config.respectGitignore,
        sync,
        signal: stop.signal,
        onProgress: progress.onProgress,
      });
    const report = flags.wait
      ? await waitingForLock(run, stop.signal)
      : await run().catch((error) => {
          throw withWaitHint(error);
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

/** Runs `run`, trying again while another process holds the writer lock. */
async function waitingForLock(
  run: () => Promise<IngestReport>,
  signal: AbortSignal,
): Promise<IngestReport> {
  let told = false;
  for (;;) {
    try {
      return await run();
    } catch (error) {
      if (!MmragError.isInstance(error) || error.code !== 'INDEX_LOCKED' || signal.aborted) {
        throw error;
      }
      // On stderr even with --json: stdout keeps its one object, and a person sees why it waits.
      if (!told) process.stderr.write(`${error.message.split('. ')[0]}; waiting.\n`);
      told = true;
      await sleep(LOCK_RETRY_MS);
    }
  }
}

/** The limit flags as engine limits; each must be a positive number. */
function limitFlags(flags: IngestFlags): Partial<Limits> {
  const limits: Partial<Limits> = {};
  const number = (value: string, flag: string) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) {
      throw new MmragError('USAGE', `${flag} must be a positive number, not "${value}".`, {
        subject: flag,
      });
    }
    return parsed;
  };
  if (flags.maxFileMb !== undefined) {
    limits.maxFileBytes = Math.max(
      1,
      Math.round(number(flags.maxFileMb, '--max-file-mb') * 2 ** 20),
    );
  }
  if (flags.maxTextMb !== undefined) {
    limits.maxTextBytes = Math.max(
      1,
      Math.round(number(flags.maxTextMb, '--max-text-mb') * 2 ** 20),
    );
  }
  if (flags.maxImageMegapixels !== undefined) {
    const megapixels = number(flags.maxImageMegapixels, '--max-image-megapixels');
    limits.maxImagePixels = Math.max(1, Math.round(megapixels * 1e6));
  }
  if (flags.maxAudioMinutes !== undefined) {
    limits.maxAudioSeconds = number(flags.maxAudioMinutes, '--max-audio-minutes') * 60;
  }
  if (flags.maxSecondsPerFile !== undefined) {
    limits.maxSecondsPerFile = number(flags.maxSecondsPerFile, '--max-seconds-per-file');
  }
  return limits;
}

/** A locked index says, besides what the store says, that `--wait` queues behind the writer. */
function withWaitHint(error: unknown): unknown {
  if (!MmragError.isInstance(error) || error.code !== 'INDEX_LOCKED') return error;
  const said = error.hint ? error.message.slice(0, -error.hint.length - 1) : error.message;
  return new MmragError('INDEX_LOCKED', said, {
    subject: error.subject,
    hint: 'Wait for it to finish, stop it, or run again with --wait to start when it is done.',
    cause: error,
  });
}
