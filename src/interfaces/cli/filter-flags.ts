/** The flags `search` and `ask` share: how many hits, and which files to look in. */
import { resolve } from 'node:path';
import { MmragError } from '../../errors.js';
import type { SearchOptions } from '../../retrieve/search.js';
import { MODALITIES, type Modality } from '../../types.js';

export interface FilterFlags {
  k?: string;
  modality?: string[];
  path?: string[];
  after?: string;
  before?: string;
}

export type SearchFilters = Pick<
  SearchOptions,
  'modalities' | 'pathPrefixes' | 'modifiedAfter' | 'modifiedBefore'
>;

/** Validates the filter flags; a bad value is a usage error naming the flag. */
export function parseFilters(flags: FilterFlags): SearchFilters {
  return {
    modalities: parseModalities(flags.modality),
    // Relative to where the command runs, as the paths given to ingest are.
    pathPrefixes: flags.path?.map((prefix) => resolve(prefix)),
    modifiedAfter: parseDate(flags.after, '--after'),
    modifiedBefore: parseDate(flags.before, '--before'),
  };
}

export function parseK(value: string): number {
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
