/** `mmrag models list` and `mmrag models pull`. */
import { modelSetLimits, NAMED_MODEL_SETS, resolveModelSet } from '../../../config/model-sets.js';
import { type GlobalFlags, openCli, printJson } from '../context.js';
import { ExitCode } from '../exit-codes.js';

export async function runModelsList(flags: GlobalFlags): Promise<number> {
  const sets = Object.keys(NAMED_MODEL_SETS).map((name) => {
    const set = resolveModelSet(name as keyof typeof NAMED_MODEL_SETS);
    return { ...set, limits: modelSetLimits(set) };
  });
  if (flags.json) {
    printJson({ sets });
    return ExitCode.ok;
  }
  for (const set of sets) {
    process.stdout.write(`${set.name}\n`);
    process.stdout.write(`  text   ${set.text.id}\n`);
    process.stdout.write(`  vision ${set.vision?.id ?? '(none)'}\n`);
    process.stdout.write(`  speech ${set.speech?.id ?? '(none)'}\n`);
    process.stdout.write(`  ocr    ${set.ocr ? `tesseract ${set.ocr.languages}` : 'off'}\n`);
    for (const limit of set.limits) process.stdout.write(`  note: ${limit}\n`);
  }
  return ExitCode.ok;
}

export async function runModelsPull(flags: GlobalFlags): Promise<number> {
  const cli = await openCli(flags);
  try {
    await cli.engine.pullModels();
    const set = cli.engine.models;
    const ids = [set.text.id, set.vision?.id, set.speech?.id].filter(Boolean);
    if (cli.json) printJson({ models: set.name, ready: ids });
    else process.stdout.write(`Models "${set.name}" are ready: ${ids.join(', ')}.\n`);
    return ExitCode.ok;
  } finally {
    await cli.close();
  }
}
