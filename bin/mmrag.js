#!/usr/bin/env node
// The published entry point runs the compiled CLI (`npm run build`, done by `npm ci`/`prepare`).
import '../dist/interfaces/cli/bin.js';
