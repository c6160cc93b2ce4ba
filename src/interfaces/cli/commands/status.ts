/** `mmrag status` and `mmrag remove PATH...`. */

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
    const removed = await cli.engine.remove(paths);
    if (cli.json) printJson({ removed: removed.map((outcome) => outcome.path) });
    else {
      process.stdout.write(`Removed ${removed.length} file(s) from the index.\n`);
      for (const outcome of removed) process.stdout.write(`  ${outcome.path}\n`);
    }
    return ExitCode.ok;
  } finally {
    await cli.close();
  }
}
