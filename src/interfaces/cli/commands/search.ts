/** `mmrag search [QUERY] [--image FILE]`. */

import { MmragError } from '../../../errors.js';
import { type GlobalFlags, openCli, printJson } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { type FilterFlags, parseFilters, parseK } from '../filter-flags.js';
import { formatResults } from '../format.js';

export interface SearchFlags extends GlobalFlags, FilterFlags {
  image?: string;
}

export async function runSearch(words: string[], flags: SearchFlags): Promise<number> {
  const text = words.join(' ');
  if (!text.trim() && !flags.image) {
    throw new MmragError('USAGE', 'The query is empty.', {
      hint: 'Give words to search for, or an image with --image FILE.',
    });
  }
  const filters = parseFilters(flags);

  const cli = await openCli(flags, { readOnly: true });
  try {
    const k = flags.k === undefined ? (cli.config.k ?? 10) : parseK(flags.k);
    const response = await cli.engine.search({ text, image: flags.image }, { k, ...filters });
    if (cli.json) {
      printJson({ query: { text, image: flags.image ?? null }, ...response });
    } else {
      if (response.imageText)
        process.stdout.write(`Words in the query image: ${response.imageText}\n\n`);
      process.stdout.write(`${formatResults(response.results)}\n`);
    }
    return ExitCode.ok;
  } finally {
    await cli.close();
  }
}
