/** `mmrag search [QUERY] [--image FILE]`. */

import { resolve } from 'node:path';
import { MmragError } from '../../../errors.js';
import { MODALITIES, type Modality } from '../../../types.js';
import { type GlobalFlags, openCli, printJson } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { formatResults } from '../format.js';

export interface SearchFlags extends GlobalFlags {
  image?: string;
  k?: string;
  modality?: string[];
  path?: string[];
  after?: string;
  before?: string;
}

export async function runSearch(words: string[], flags: SearchFlags): Promise<number> {
  const text = words.join(' ');
  if (!text.trim() && !flags.image) {
    throw new MmragError('USAGE', 'The query is empty.', {
      hint: 'Give words to search for, or an image with --image FILE.',
    });
  }
  const modalities = parseModalities(flags.modality);
  const after = parseDate(flags.after, '--after');
  const before = parseDate(flags.before, '--before');

  const cli = await openCli(flags, { readOnly: true });
  try {
    const k = flags.k === undefined ? (cli.config.k ?? 10) : parseK(flags.k);
    const response = await cli.engine.search(
      { text, image: flags.image },
      {
        k,
        modalities,
        pathPrefixes: flags.path?.map((prefix) => resolve(prefix)),
        modifiedAfter: after,
        modifiedBefore: before,
      },
    );
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

function parseK(value: string): number {
  const k = Number(value);
  if (!Number.isInteger(k) || k < 1 || k > 1000) {
    throw new MmragError('USAGE', `--k must be a whole number from 1 to 1000, not "${value}".`);
  }
  return k;
}

function parseModalities(values: string[] | undefined): Modality[] | undefined {
  if (!values?.length) return undefined;
  const list = values.flatMap((value) => value.split(','));
  for (const value of list) {
    if (!(MODALITIES as readonly string[]).includes(value)) {
      throw new MmragError('USAGE', `--modality takes ${MODALITIES.join(', ')}; not "${value}".`);
    }
  }
  return list as Modality[];
}

function parseDate(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new MmragError('USAGE', `${flag} takes a date such as 2026-01-31, not "${value}".`);
  }
  return date;
}
