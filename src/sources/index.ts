export { displayPath, fsPathFromDisplay } from './display-path.js';
export { hashBytes } from './hash.js';
export { sniffType } from './sniff.js';
export { type WalkedFile, type WalkOptions, walkSources } from './walk.js';
