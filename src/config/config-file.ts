/**
 * Loading `mmrag.config.json`: from `--config`, else from the current folder when present.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MmragError } from '../errors.js';
import { type ConfigFile, configFileSchema } from './options.js';

export const CONFIG_FILE_NAME = 'mmrag.config.json';

/** Reads and validates a config file. A missing default file is no error; a named one is. */
export async function loadConfigFile(path?: string): Promise<ConfigFile> {
  const file = resolve(path ?? CONFIG_FILE_NAME);

  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    if (!path && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new MmragError('CONFIG', `Cannot read the config file ${file}.`, {
      subject: file,
      hint: 'Check the path given to --config.',
      cause: error,
    });
  }

  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new MmragError('CONFIG', `The config file ${file} is not valid JSON.`, {
      subject: file,
      cause: error,
    });
  }

  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`)
      .join('; ');
    throw new MmragError('CONFIG', `The config file ${file} has errors: ${problems}.`, {
      subject: file,
      hint: 'See "Configuration" in the README for the fields.',
    });
  }
  return parsed.data;
}
