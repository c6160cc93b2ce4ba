/** The flags `ingest` and `sync` share; kept apart so building the program loads no engine. */
import type { Command } from 'commander';

export function withIngestFlags(command: Command): Command {
  return command
    .option('--max-file-mb <n>', 'skip files larger than this, in MB (default 512)')
    .option('--max-text-mb <n>', 'skip text files larger than this, in MB (default 32)')
    .option('--max-image-megapixels <n>', 'skip pictures larger than this (default 100)')
    .option('--max-audio-minutes <n>', 'skip recordings longer than this (default 240)')
    .option('--max-seconds-per-file <n>', 'give up on a file after this long (default 600)')
    .option('--reembed', 'switch an index built with other --models to these, re-embedding all')
    .option('--wait', 'wait for another process writing to the index instead of stopping');
}
