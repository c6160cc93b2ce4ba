/** The version in package.json, read at run time from `src/` and `dist/` alike. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function packageVersion(): string {
  return (require('../../../package.json') as { version: string }).version;
}
