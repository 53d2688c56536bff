// Builds everything: the renderer with Vite, and the Node-side entry points with esbuild.
// The CLI and the browser host run from this folder and leave dependencies external. The Electron
// entries bundle theirs: the package holds only production dependencies, and packages the renderer
// owns (tiptap, ...) are devDependencies even when shared code also runs them in main. Only Electron,
// PGlite and tesseract.js stay external (each loads WASM, data or worker files next to its module,
// unpacked from the asar by electron-builder.yml). test/packaging/ checks what the packaged entries import.
import { rmSync } from 'node:fs';
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';

const root = new URL('..', import.meta.url).pathname;
const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning', absWorkingDir: root };
const electronEsm = {
  ...common,
  packages: undefined,
  external: ['electron', '@electric-sql/pglite', 'tesseract.js'],
  format: 'esm',
  // Bundled CommonJS packages call require() for Node built-ins; ESM output has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

// Old CLI chunks (their names carry a content hash) would pile up otherwise.
rmSync(`${root}dist/cli`, { recursive: true, force: true });
const CLI_EXTERNAL = [
  '@electric-sql/pglite',
  'tesseract.js',
  'elkjs',
  'yjs',
  'y-protocols',
  'lib0',
  '@tiptap/*',
  'prosemirror-*',
  'y-prosemirror',
];

await vite({ configFile: `${root}vite.config.ts`, logLevel: 'warn' });
await Promise.all([
  // The CLI is split: what runs beside an open app (the command channel) loads no PGlite, elkjs or
  // tiptap; the notebook's services are a chunk imported only when the CLI opens the notebook itself.
  esbuild({
    ...common,
    // Small pure-JS packages are bundled in (resolving each from node_modules at every start costs
    // more than the code); what must stay one instance (Yjs and its kin) or loads its own files
    // (PGlite's WASM, elkjs's worker code) stays external.
    packages: undefined,
    external: CLI_EXTERNAL,
    banner: electronEsm.banner,
    entryPoints: { outpost: 'electron/cli/bin.ts' },
    outdir: 'dist/cli',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  }),
  esbuild({ ...common, entryPoints: ['electron/host/web-main.ts'], outfile: 'dist/web.js', format: 'esm' }),
  // The bulk-write worker is started from a file beside the bundle that imports its client
  // (electron/notes/bulk-worker-client.ts): the browser host, the CLI's notebook chunk, the
  // Electron services (bundled like them: the package holds production dependencies only).
  esbuild({ ...common, entryPoints: { 'bulk-worker': 'electron/notes/bulk-worker.ts' }, outdir: 'dist', format: 'esm' }),
  esbuild({
    ...common,
    external: CLI_EXTERNAL,
    packages: undefined,
    banner: electronEsm.banner,
    entryPoints: { 'bulk-worker': 'electron/notes/bulk-worker.ts' },
    outdir: 'dist/cli/chunks',
    format: 'esm',
  }),
  esbuild({ ...electronEsm, entryPoints: { 'bulk-worker': 'electron/notes/bulk-worker.ts' }, outdir: 'dist/electron' }),
  esbuild({ ...electronEsm, entryPoints: ['electron/app/main.ts'], outfile: 'dist/electron/main.js' }),
  esbuild({ ...electronEsm, entryPoints: ['electron/api/services-worker.ts'], outfile: 'dist/electron/services-worker.js' }),
  // A sandboxed preload must be CommonJS.
  esbuild({
    ...common,
    packages: undefined,
    entryPoints: ['electron/app/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
]);
console.log(
  'Built dist/ (renderer, cli/, web.js, electron/main.js, electron/services-worker.js, electron/preload.cjs, bulk-worker.js beside each)',
);
