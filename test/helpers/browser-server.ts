/**
 * A real `mmrag serve` for the browser tests: the CLI in a child process on 127.0.0.1 and a
 * free port, on an index built beforehand, with the fixture models from a config file.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'vite';
import { CLI_BIN, TSX_LOADER, writeFixtureConfig } from './cli-process.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** How long the server may take to print its address. */
const START_TIMEOUT_MS = 60_000;

/** Builds dist/web from the current source, so the tests see the UI as it is now. */
export async function buildWebUi(): Promise<void> {
  await build({
    configFile: join(ROOT, 'src', 'interfaces', 'web', 'vite.config.ts'),
    logLevel: 'error',
  });
}

/** Writes the config the CLI reads in `cwd`: fixture models, offline. */
export { writeFixtureConfig };

export interface ServerProcess {
  url: string;
  /** Everything the server wrote on stderr, for failure messages. */
  stderr(): string;
  stop(): Promise<void>;
}

export interface StartServeOptions {
  cwd: string;
  indexDir: string;
  allowRoots?: string[];
  /** Passed as --api-key. */
  apiKey?: string;
}

export function startServe(options: StartServeOptions): Promise<ServerProcess> {
  const args = ['serve', '--index', options.indexDir, '--port', '0', '--json'];
  for (const root of options.allowRoots ?? []) args.push('--allow-root', root);
  if (options.apiKey) args.push('--api-key', options.apiKey);
  const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI_BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, MMRAG_API_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`mmrag serve printed no address in time.\n${stderr}`));
    }, START_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      // `--json` prints one object, maybe over several lines; its url is all we need.
      const url = /"url":\s*"([^"]+)"/.exec(stdout)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({ url, stderr: () => stderr, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mmrag serve exited with ${code} before listening.\n${stderr}`));
    });
  });
}
