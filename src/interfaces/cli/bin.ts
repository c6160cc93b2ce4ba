#!/usr/bin/env node
// LanceDB's native core logs warnings to stderr unless told otherwise before it loads.
process.env.LANCEDB_LOG ??= 'error';
const { main } = await import('./main.js');
await main(process.argv);
