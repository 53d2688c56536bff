// Builds everything: the renderer with Vite, and the Node-side entry points with esbuild.
// Dependencies stay external (PGlite loads its WASM next to its own module).
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';

const root = new URL('..', import.meta.url).pathname;
const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning', absWorkingDir: root };

await vite({ configFile: `${root}vite.config.ts`, logLevel: 'warn' });
await Promise.all([
  // The CLI is split: what runs beside an open app (the command channel) loads no PGlite, elkjs or
  // tiptap; the notebook's services are a chunk imported only when the CLI opens the notebook itself.
  esbuild({
    ...common,
    entryPoints: { outpost: 'electron/cli/bin.ts' },
    outdir: 'dist/cli',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  }),
  esbuild({ ...common, entryPoints: ['electron/host/web-main.ts'], outfile: 'dist/web.js', format: 'esm' }),
  esbuild({ ...common, entryPoints: ['electron/app/main.ts'], outfile: 'dist/electron/main.js', format: 'esm', external: ['electron'] }),
  esbuild({ ...common, entryPoints: ['electron/api/services-worker.ts'], outfile: 'dist/electron/services-worker.js', format: 'esm' }),
  // A sandboxed preload must be CommonJS.
  esbuild({
    ...common,
    entryPoints: ['electron/app/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
]);
console.log('Built dist/ (renderer, cli/, web.js, electron/main.js, electron/preload.cjs)');
