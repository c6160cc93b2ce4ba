/**
 * The command line. Flags map onto engine options; the commands own all printing.
 * User mistakes print as one line; bugs print with their stack.
 */
import { Command, CommanderError, Option } from 'commander';
import { isUserError, MmragError } from '../../errors.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { withIngestFlags } from './ingest-flags.js';

// Each command's module (and with it the engine and the models) loads only when it runs, so
// `--help` and `--version` load commander alone.
const commands = {
  ask: () => import('./commands/ask.js'),
  ingest: () => import('./commands/ingest.js'),
  mcp: () => import('./commands/mcp.js'),
  models: () => import('./commands/models.js'),
  search: () => import('./commands/search.js'),
  serve: () => import('./commands/serve.js'),
  status: () => import('./commands/status.js'),
};

const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    internal error (a bug: please report it with the stack)
  2    usage error: a bad flag, query or config file
  3    ingest finished, but some files failed (listed with reasons)
  4    a model is missing, could not be downloaded, or differs from the index's
  5    the index is locked by another process or cannot be opened
  130  interrupted by Ctrl-C (the file in flight was finished)`;

function withGlobalFlags(command: Command): Command {
  return command
    .option('--index <dir>', 'index folder', '.mmrag')
    .addOption(
      new Option('--models <set>', 'model set for a new index (an index keeps its own)').choices([
        'full',
        'lite',
      ]),
    )
    .option('--models-dir <dir>', 'where models are cached and looked up (env MMRAG_MODELS_DIR)')
    .option('--offline', 'never download: every model must already be in --models-dir')
    .option('--config <file>', 'config file (default: ./mmrag.config.json when present)')
    .option('--json', 'print one JSON object on stdout instead of text');
}

export function buildProgram(): Command {
  const program = new Command('mmrag')
    .description(
      'Index notes, web pages, PDFs, images and recordings; search them across modalities.',
    )
    .version('0.1.0')
    .addHelpText('after', EXIT_CODES_HELP)
    // Parser errors are reported by `main` (one line, or JSON with --json), not by commander.
    .configureOutput({ outputError: () => undefined, writeErr: () => undefined })
    .exitOverride();

  withGlobalFlags(
    withIngestFlags(
      program
        .command('ingest')
        .description('index files and folders (unchanged files are skipped)')
        .argument('<paths...>', 'files or folders')
        .option('--hidden', 'also index hidden files and folders')
        .option('--no-gitignore', 'also index what .gitignore files exclude'),
    ),
  ).action(async (paths, flags) =>
    setExit(await (await commands.ingest()).runIngest(paths, flags, { sync: false })),
  );

  withGlobalFlags(
    withIngestFlags(
      program
        .command('sync')
        .description('like ingest, and also remove indexed files that vanished from these folders')
        .argument('<paths...>', 'files or folders')
        .option('--hidden', 'also index hidden files and folders')
        .option('--no-gitignore', 'also index what .gitignore files exclude'),
    ),
  ).action(async (paths, flags) =>
    setExit(await (await commands.ingest()).runIngest(paths, flags, { sync: true })),
  );

  withGlobalFlags(
    program
      .command('search')
      .description('search the index by words, by an image, or both')
      .argument('[query...]', 'words to search for')
      .option('--image <file>', 'find similar pictures, and pages that show or mention it')
      .option('--k <n>', 'how many results (default 10)')
      .option('--modality <type...>', 'only text, pdf, image or audio (repeat or comma-separate)')
      .option('--path <prefix...>', 'only files under this path')
      .option('--after <date>', 'only files modified on or after this date')
      .option('--before <date>', 'only files modified before this date'),
  ).action(async (words, flags) =>
    setExit(await (await commands.search()).runSearch(words, flags)),
  );

  withGlobalFlags(
    program
      .command('ask')
      .description('answer a question from the index, citing the files, pages and times used')
      .argument('[question...]', 'the question')
      .option('--image <file>', 'a picture the question is about')
      .option('--k <n>', 'how many search results to consider as evidence (default 8)')
      .option('--stream', 'print the answer as it is written')
      .option(
        '--generator <spec>',
        'extractive, local, local-vision, a hub id or folder, or an OpenAI-compatible base URL',
      )
      .option('--generator-model <name>', 'the model name a remote server expects')
      .option('--modality <type...>', 'only text, pdf, image or audio (repeat or comma-separate)')
      .option('--path <prefix...>', 'only files under this path')
      .option('--after <date>', 'only files modified on or after this date')
      .option('--before <date>', 'only files modified before this date'),
  ).action(async (words, flags) => setExit(await (await commands.ask()).runAsk(words, flags)));

  withGlobalFlags(
    program.command('status').description('what is indexed, per modality, and what failed'),
  ).action(async (flags) => setExit(await (await commands.status()).runStatus(flags)));

  withGlobalFlags(
    program
      .command('remove')
      .description('remove files, or everything under folders, from the index')
      .argument('<paths...>', 'files or folders'),
  ).action(async (paths, flags) =>
    setExit(await (await commands.status()).runRemove(paths, flags)),
  );

  withGlobalFlags(
    program
      .command('serve')
      .description('serve the HTTP API and web UI on the index (http://127.0.0.1:7700)')
      .option(
        '--host <address>',
        'address to listen on (beyond loopback needs --api-key)',
        '127.0.0.1',
      )
      .option('--port <n>', 'port to listen on', '7700')
      .option('--api-key <key>', 'require this key on every API request (env MMRAG_API_KEY)')
      .option('--allow-root <dir...>', 'folders below which clients may ingest paths (repeatable)')
      .option('--cors <origin...>', 'browser origins allowed to call the API (default: none)')
      .option('--max-upload-mb <n>', 'largest request body (uploads), in MB', '100')
      .option('--log', 'log every request on stderr'),
  ).action(async (flags) => setExit(await (await commands.serve()).runServe(flags)));

  withGlobalFlags(
    program
      .command('mcp')
      .description('serve the index as MCP tools on stdio (search, ask, ingest, list_sources)')
      .option('--allow-root <dir...>', 'folders the ingest tool may read (default: this folder)'),
  ).action(async (flags) => setExit(await (await commands.mcp()).runMcp(flags)));

  const models = program.command('models').description('the model sets and their downloads');
  withGlobalFlags(models.command('list').description('show the model sets')).action(async (flags) =>
    setExit(await (await commands.models()).runModelsList(flags)),
  );
  withGlobalFlags(
    models
      .command('pull')
      .description('download every model of the set ahead of use (needs the hub)'),
  ).action(async (flags) => setExit(await (await commands.models()).runModelsPull(flags)));

  return program;
}

function setExit(code: number): void {
  process.exitCode = code;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (thrown) {
    // Help and version are not errors; commander already printed what it had to say.
    if (thrown instanceof CommanderError && thrown.exitCode === 0) {
      process.exitCode = ExitCode.ok;
      return;
    }
    const error = thrown instanceof CommanderError ? parserError(thrown, program, argv) : thrown;
    reportError(error, argv);
    process.exitCode = exitCodeFor(error);
  }
}

/** A flag or argument commander refused, as a usage error pointing at the command's help. */
function parserError(error: CommanderError, program: Command, argv: string[]): MmragError {
  const words = argv.slice(2).filter((word) => !word.startsWith('-'));
  const names: string[] = [];
  let command: Command | undefined = program;
  for (const word of words) {
    command = command.commands.find((sub) => sub.name() === word);
    if (!command) break;
    names.push(word);
  }
  const help = ['mmrag', ...names, '--help'].join(' ');
  const said = error.message.replace(/^error: /, '').trim();
  const message =
    error.code === 'commander.help' || error.code === 'commander.helpDisplayed'
      ? `Name a command (${program.commands.map((sub) => sub.name()).join(', ')}).`
      : `${said.charAt(0).toUpperCase()}${said.slice(1)}${/[.!?]$/.test(said) ? '' : '.'}`;
  return new MmragError('USAGE', message, { hint: `See \`${help}\`.` });
}

function reportError(error: unknown, argv: string[]): void {
  const json = argv.includes('--json');
  if (json) {
    const body = MmragError.isInstance(error)
      ? { error: { code: error.code, message: error.message, subject: error.subject } }
      : { error: { code: 'INTERNAL', message: String((error as Error)?.message ?? error) } };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  }
  if (isUserError(error)) {
    process.stderr.write(`mmrag: ${(error as MmragError).message}\n`);
  } else {
    process.stderr.write(`mmrag: internal error\n${(error as Error)?.stack ?? String(error)}\n`);
  }
}
