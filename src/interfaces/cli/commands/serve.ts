/** `mmrag serve`: the HTTP API and web UI on the index, until Ctrl-C. */
import { MmragError } from '../../../errors.js';
import { startServer } from '../../http/index.js';
import { type GlobalFlags, openCli, printJson } from '../context.js';
import { ExitCode } from '../exit-codes.js';

export interface ServeFlags extends GlobalFlags {
  host: string;
  port: string;
  apiKey?: string;
  allowRoot?: string[];
  cors?: string[];
  maxUploadMb: string;
  log?: boolean;
}

export async function runServe(flags: ServeFlags): Promise<number> {
  const port = parseWhole(flags.port, '--port', 0, 65535);
  const maxUploadMb = parseWhole(flags.maxUploadMb, '--max-upload-mb', 1, 100_000);
  const apiKey = flags.apiKey ?? (process.env.MMRAG_API_KEY || undefined);

  const cli = await openCli(flags);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      engine: cli.engine,
      host: flags.host,
      port,
      apiKey,
      allowRoots: flags.allowRoot,
      corsOrigins: flags.cors,
      maxUploadMb,
      log: flags.log ? (line) => process.stderr.write(`${line}\n`) : undefined,
    });
  } catch (error) {
    await cli.close();
    throw error;
  }

  if (cli.json)
    printJson({ url: server.url, index: cli.engine.indexDir, writable: server.writable });
  else process.stdout.write(`mmrag serving ${cli.engine.indexDir} at ${server.url}\n`);
  if (!server.writable) {
    process.stderr.write('Another process writes to this index: serving it read-only.\n');
  }

  // Ctrl-C or a TERM lets the job in flight finish; a second one quits at once.
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(ExitCode.interrupted);
      stopping = true;
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  await cli.close();
  return ExitCode.ok;
}

function parseWhole(value: string, flag: string, min: number, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new MmragError(
      'USAGE',
      `${flag} takes a whole number from ${min} to ${max}, not "${value}".`,
    );
  }
  return number;
}
