/** The embedded store on LanceDB: no server, one folder per index. */

export { sanitizeKeywordQuery } from './fts-query.js';
export {
  type LanceStore,
  type LanceStoreOptions,
  openLanceStore,
  type RecoveryReport,
} from './lance-store.js';
