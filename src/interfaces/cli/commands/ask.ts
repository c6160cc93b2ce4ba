/** `mmrag ask QUESTION [--image FILE] [--stream] [--generator SPEC]`: a cited answer. */
import { resolve } from 'node:path';
import type { AskResult } from '../../../answer/index.js';
import { loadConfigFile } from '../../../config/config-file.js';
import { parseGeneratorSpec } from '../../../config/model-sets.js';
import type { EngineOptions } from '../../../config/options.js';
import { MmragError } from '../../../errors.js';
import { MODALITIES, type Modality } from '../../../types.js';
import { type GlobalFlags, openCli, printJson } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { formatLocator } from '../format.js';

export interface AskFlags extends GlobalFlags {
  image?: string;
  k?: string;
  modality?: string[];
  path?: string[];
  after?: string;
  before?: string;
  stream?: boolean;
  generator?: string;
  generatorModel?: string;
}

export const EXTRACTIVE_NOTE =
  'No generator is configured, so this answer is extractive: the best passages, quoted. ' +
  'For a written answer, pass --generator local (downloads a small model), or --generator ' +
  'http://127.0.0.1:8080/v1 for a llama.cpp, Ollama or other OpenAI-compatible server, or set ' +
  '"generator" in mmrag.config.json.';

export async function runAsk(words: string[], flags: AskFlags): Promise<number> {
  const question = words.join(' ');
  if (!question.trim() && !flags.image) {
    throw new MmragError('USAGE', 'The question is empty.', {
      hint: 'Ask in words, or give a picture with --image FILE.',
    });
  }
  const filters = {
    modalities: parseModalities(flags.modality),
    pathPrefixes: flags.path?.map((prefix) => resolve(prefix)),
    modifiedAfter: parseDate(flags.after, '--after'),
    modifiedBefore: parseDate(flags.before, '--before'),
  };
  // The flag wins over the config file, which wins over MMRAG_GENERATOR and the model set.
  const extra: Partial<EngineOptions> = { readOnly: true };
  const config = await loadConfigFile(flags.config);
  if (flags.generator !== undefined) {
    extra.generator = parseGeneratorSpec(flags.generator, flags.generatorModel);
  } else if (config.generator !== undefined) {
    extra.generator = config.generator;
  }

  const cli = await openCli(flags, extra);

  // The first Ctrl-C stops generation cleanly; a second one quits at once.
  const stop = new AbortController();
  const onInterrupt = () => {
    if (stop.signal.aborted) process.exit(ExitCode.interrupted);
    stop.abort();
  };
  process.on('SIGINT', onInterrupt);

  try {
    const k = flags.k === undefined ? (cli.config.k ?? undefined) : parseK(flags.k);
    const streaming = (flags.stream ?? false) && !cli.json;
    if (!cli.json && cli.engine.generator === null) process.stdout.write(`${EXTRACTIVE_NOTE}\n\n`);

    const answer = cli.engine.ask(
      { text: question, image: flags.image },
      { k, ...filters, signal: stop.signal, stream: streaming },
    );
    if (streaming) {
      for await (const delta of answer) process.stdout.write(delta);
      process.stdout.write('\n');
    }
    const result = await answer.result;

    if (cli.json) {
      printJson(result);
    } else {
      if (!streaming) process.stdout.write(`${result.answer}\n`);
      process.stdout.write(formatSources(result));
    }
    return ExitCode.ok;
  } catch (error) {
    if (MmragError.isInstance(error) && error.code === 'ABORTED' && stop.signal.aborted) {
      if (!cli.json) process.stderr.write('\nStopped.\n');
      return ExitCode.interrupted;
    }
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
    await cli.close();
  }
}

/** The numbered sources under an answer, and what the citation check found. */
export function formatSources(result: AskResult): string {
  const lines: string[] = [];
  if (result.removedCitations.length) {
    const list = result.removedCitations.map((n) => `[${n}]`).join(' ');
    lines.push(`Removed ${list}: named no evidence that was given to the model.`);
  }
  if (result.mode === 'generated' && !result.supported) {
    lines.push('Unsupported: the answer cites none of the evidence.');
  }
  if (result.truncated) lines.push('The answer was cut at its token limit.');
  if (result.citations.length) {
    lines.push('Sources:');
    for (const citation of result.citations) {
      const where = formatLocator(citation.locator);
      lines.push(`[${citation.n}] ${citation.path}${where ? ` · ${where}` : ''}`);
      lines.push(`    ${citation.quote}`);
    }
  }
  return lines.length ? `\n${lines.join('\n')}\n` : '';
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
