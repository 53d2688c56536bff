import { UsageError } from './args';
import { defineCommand, parseSub, type Subcommands } from './command-spec';
import { json } from './output';

/** The notebook's own settings: `info`, `levels set`, `device name`, `projections rebuild`. */

export const infoCommand = defineCommand({
  name: 'info',
  summary: "the notebook's folder, device identity and classification levels",
  usage: 'Usage: outpost info [--json]\n',
  subcommands: { '': { flags: { json: { type: 'boolean' } } } } as const satisfies Subcommands,
  run: async ({ api, io }, args) => {
    const { values } = parseSub(infoCommand.subcommands, '', args);
    const info = await api.call('notebook.info', {});
    const shown = {
      notebook: info.path,
      notebookId: info.notebookId,
      device: info.device,
      classificationLevels: info.classificationLevels,
      answeredBy: api.answeredBy,
    };
    io.stdout(
      values.json
        ? json(shown)
        : `Notebook: ${shown.notebook}\nDevice:   ${shown.device.name} (${shown.device.id})\n` +
            `Key:      ${shown.device.publicKey}\nKey fingerprint: ${shown.device.fingerprint}\n` +
            `Levels:   ${shown.classificationLevels.join(' < ')}\n` +
            (api.mode === 'host' ? `Open in:  ${api.answeredBy} (this command went through it)\n` : ''),
    );
    return 0;
  },
});

const LEVELS_USAGE = 'Usage: outpost levels set LEVEL [LEVEL …] (lowest first)\n';
export const levelsCommand = defineCommand({
  name: 'levels',
  summary: 'set the ordered classification levels, lowest first',
  usage: LEVELS_USAGE,
  subcommands: { set: { flags: {}, positionals: { min: 1, max: 50, names: 'levels' } } } as const satisfies Subcommands,
  run: async ({ api, io }, args) => {
    const [sub, ...levels] = args;
    if (sub !== 'set' || !levels.length) throw new UsageError(LEVELS_USAGE.trim());
    const info = await api.call('notebook.setClassificationLevels', { levels });
    io.stdout(`Classification levels: ${info.classificationLevels.join(' < ')}\n`);
    return 0;
  },
});

const DEVICE_USAGE = 'Usage: outpost device name NAME\n';
export const deviceCommand = defineCommand({
  name: 'device',
  summary: "set this device's display name",
  usage: DEVICE_USAGE,
  subcommands: { name: { flags: {}, positionals: { min: 1, max: 20, names: 'name' } } } as const satisfies Subcommands,
  run: async ({ api, io }, args) => {
    const [sub, ...words] = args;
    if (sub !== 'name' || !words.length) throw new UsageError(DEVICE_USAGE.trim());
    const info = await api.call('notebook.setDeviceName', { name: words.join(' ') });
    io.stdout(`This device is now called ${info.device.name}\n`);
    return 0;
  },
});

const PROJECTIONS_USAGE = 'Usage: outpost projections rebuild\n';
export const projectionsCommand = defineCommand({
  name: 'projections',
  summary: 'rebuild every projection from the Yjs update log',
  usage: PROJECTIONS_USAGE,
  subcommands: { rebuild: { flags: {} } } as const satisfies Subcommands,
  run: async ({ api, io }, args) => {
    if (args[0] !== 'rebuild') throw new UsageError(PROJECTIONS_USAGE.trim());
    parseSub(projectionsCommand.subcommands, 'rebuild', args.slice(1));
    const { tables } = await api.call('notebook.rebuildProjections', {});
    for (const { table, rows } of tables) io.stdout(`Rebuilt ${table}: ${rows} rows\n`);
    return 0;
  },
});
