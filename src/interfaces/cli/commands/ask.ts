/** `mmrag ask QUESTION [--image FILE] [--stream] [--generator SPEC]`: a cited answer. */
import type { AskResult } from '../../../answer/index.js';
import { loadConfigFile } from '../../../config/config-file.js';
import { parseGeneratorSpec } from '../../../config/model-sets.js';
import type { EngineOptions } from '../../../config/options.js';
import { MmragError } from '../../../errors.js';
import { type GlobalFlags, openCli, printJson } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { type FilterFlags, parseFilters, parseK } from '../filter-flags.js';
import { formatLocator } from '../format.js';

export interface AskFlags extends GlobalFlags, FilterFlags {
  image?: string;
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
  const filters = parseFilters(flags);
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
