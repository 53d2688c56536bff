// `npm run electron:from-zip -- FILE`: install Electron's binary on a machine with no network from
// the release zip carried across (electron-vVERSION-PLATFORM-ARCH.zip). Electron's own installer
// does the work, reading the zip from a cache folder laid out as @electron/get expects; the zip is
// checked against the SHA-256 sums the electron package ships (checksums.json) before anything
// changes. A cache miss can only reach a closed loopback port: nothing leaves the machine.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronPackage, probeElectronBinary } from './launch-plan.mjs';

/** Never contacted: it only names the cache folder (@electron/get keys it by the download URL). */
const OFFLINE_MIRROR = 'http://127.0.0.1:9/';
/** Variables that would change the URL, the cache or the checksum source Electron's installer uses. */
const INSTALLER_OVERRIDES =
  /^(?:(?:npm_config_|npm_package_config_)?electron_(?:mirror|custom_?dir|custom_?filename|custom_?version|nightly_?mirror|use_remote_checksums|config_cache|override_dist_path)|force_no_cache)$/i;

function fail(message) {
  console.error(message);
  process.exit(1);
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

const zip = process.argv[2];
if (!zip) fail('Usage: npm run electron:from-zip -- PATH/TO/electron-vVERSION-PLATFORM-ARCH.zip');
const appRoot = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const electron = findElectronPackage(appRoot);
if (!electron) fail('The electron package is not installed here: run `npm ci` first.');

// The same platform and arch Electron's install.js asks for.
const platform = process.env.ELECTRON_INSTALL_PLATFORM || process.env.npm_config_platform || process.platform;
const arch = process.env.ELECTRON_INSTALL_ARCH || process.env.npm_config_arch || process.arch;
const wanted = `electron-v${electron.version}-${platform}-${arch}.zip`;
if (path.basename(zip) !== wanted)
  fail(`This machine needs ${wanted} (Electron ${electron.version} for ${platform}-${arch}), not ${path.basename(zip)}.`);

let bytes;
try {
  bytes = fs.readFileSync(zip);
} catch (error) {
  fail(`Cannot read ${zip}: ${error.message}`);
}
const sums = JSON.parse(fs.readFileSync(path.join(electron.dir, 'checksums.json'), 'utf8'));
if (sha256(bytes) !== sums[wanted])
  fail(
    `${zip} is not the file Electron ${electron.version} published (its SHA-256 differs from the electron package's checksums.json). Nothing was installed.`,
  );

const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-electron-cache-'));
let status;
try {
  // @electron/get's Cache: <cache>/<sha256 of the download URL without its file name>/<file name>.
  const folder = path.join(cache, sha256(`${OFFLINE_MIRROR}v${electron.version}`));
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, wanted), bytes);
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !INSTALLER_OVERRIDES.test(key)));
  const installer = spawnSync(process.execPath, [path.join(electron.dir, 'install.js')], {
    stdio: 'inherit',
    env: { ...env, electron_config_cache: cache, ELECTRON_MIRROR: OFFLINE_MIRROR },
  });
  status = installer.status;
} finally {
  fs.rmSync(cache, { recursive: true, force: true });
}
if (status !== 0) fail(`Electron's installer failed (its message is above); ${wanted} was not installed.`);
const { binary } = probeElectronBinary(electron.dir, {});
if (!binary) fail(`Electron's installer finished but left no binary in ${path.join(electron.dir, 'dist')}.`);
console.log(`Electron ${electron.version} is installed (${binary}). \`npm start\` opens the desktop app.`);
