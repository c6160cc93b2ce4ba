/** `mmrag status` and `mmrag remove PATH...`. */
import { resolve } from 'node:path';
import { MmragError } from '../../../errors.js';
import { type GlobalFlags, openCli, printJson } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { formatStatus } from '../format.js';

export async function runStatus(flags: GlobalFlags): Promise<number> {
  const cli = await openCli(flags, { readOnly: true });
  try {
    const status = await cli.engine.status();
    if (cli.json) printJson(status);
    else process.stdout.write(`${formatStatus(status)}\n`);
    return ExitCode.ok;
  } finally {
    await cli.close();
  }
}

export async function runRemove(paths: string[], flags: GlobalFlags): Promise<number> {
  const cli = await openCli(flags);
  try {
    // Skipped and failed files have records but no content; the summary tells them apart.
    const before = new Map((await cli.engine.listSources()).map((s) => [s.path, s.status]));
    const removed = await cli.engine.remove(paths);
    if (removed.length === 0) throw nothingToRemove(paths);

    const indexed = removed.filter((outcome) => before.get(outcome.path) === 'indexed');
    const records = removed.length - indexed.length;
    if (cli.json) {
      printJson({
        removed: removed.map((outcome) => outcome.path),
        counts: { indexed: indexed.length, skippedOrFailed: records },
      });
    } else {
      const others = records > 0 ? ` and ${records} record(s) of skipped or failed files` : '';
      process.stdout.write(`Removed ${indexed.length} indexed file(s)${others} from the index.\n`);
      for (const outcome of removed) process.stdout.write(`  ${outcome.path}\n`);
    }
    return ExitCode.ok;
  } finally {
    await cli.close();
  }
}

/** A remove that matches nothing is most likely a typo or a name the shell could not pass. */
function nothingToRemove(paths: string[]): MmragError {
  const shown = paths.map((path) => resolve(path)).join(', ');
  // Node reads arguments as UTF-8; bytes that are not become U+FFFD and match no stored name.
  const garbled = paths.some((path) => path.includes('\uFFFD'));
  return new MmragError('USAGE', `Nothing in the index under ${shown}.`, {
    subject: paths[0],
    hint:
      (garbled
        ? 'The name holds bytes that are not UTF-8, which cannot be passed as typed. '
        : '') +
      'Check the paths with `mmrag status`; a name that is not UTF-8 is shown and matched in ' +
      'its escaped form, such as caf\\xE9.txt.',
  });
}
