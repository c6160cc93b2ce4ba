/**
 * Progress bars on stderr, only for a person at a terminal: with --json, or when stderr is not
 * a TTY, nothing is drawn, so scripts and logs stay clean.
 */
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import type { ModelProgressEvent } from '../../config/options.js';
import type { IngestProgressEvent } from '../../ingest/report.js';

export function progressWanted(json: boolean): boolean {
  return !json && Boolean(process.stderr.isTTY);
}

/** One bar for the files of an ingest run. */
export function createIngestProgress(enabled: boolean): {
  onProgress: (event: IngestProgressEvent) => void;
  stop: () => void;
} {
  if (!enabled) return { onProgress: () => {}, stop: () => {} };

  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'Indexing [{bar}] {value}/{total} files | {file}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(event) {
      if (event.type === 'discovered') {
        bar.start(event.total, 0, { file: '' });
        started = true;
      } else if (event.type === 'file-start') {
        bar.update(event.index, { file: basename(event.path).slice(0, 40) });
      } else {
        bar.update(event.index + 1);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** A bar per model file being loaded (read from disk, or downloaded). */
export function createDownloadProgress(enabled: boolean): {
  onModelProgress: (event: ModelProgressEvent) => void;
  stop: () => void;
} {
  if (!enabled) return { onModelProgress: () => {}, stop: () => {} };

  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      // The runtime reports reading a cached or local file the same way as a download, so the
      // bar says what is true of both.
      format: 'Loading {model} {file} [{bar}] {percentage}%',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    onModelProgress(event) {
      const key = `${event.model}/${event.file}`;
      let bar = bars.get(key);
      if (!bar) {
        bar = multi.create(event.total || 1, 0, { model: event.model, file: event.file });
        bars.set(key, bar);
      }
      bar.setTotal(event.total || 1);
      bar.update(event.status === 'done' ? event.total || 1 : event.loaded);
    },
    stop() {
      multi.stop();
    },
  };
}
