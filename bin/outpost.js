#!/usr/bin/env node
// The `outpost` command. The CLI is built to dist/ by `npm run build` (run by `npm install`).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli/outpost.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('outpost: the CLI is not built yet. Run: npm run build\n');
  process.exit(1);
}
await import(cli.href);
