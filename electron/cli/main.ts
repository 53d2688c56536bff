import { toErrorInfo } from '../../shared/errors';
import { Notebook } from '../notebook/notebook';
import { resolveNotebookDir } from '../notebook/paths';
import { parseCommand, UsageError } from './args';
import { doctorCommand } from './doctor-command';
import { ENGAGEMENTS_USAGE, engagementsCommand } from './engagements-command';
import { LESSONS_USAGE, lessonsCommand, playbooksCommand } from './lessons-command';
import { MAP_USAGE, mapCommand } from './map-command';
import { NOTES_USAGE, notesCommand } from './notes-command';
import { type CliIO, formatError, json, processIO } from './output';
import { briefCommand, cardsCommand, STAKEHOLDERS_USAGE, stakeholdersCommand } from './stakeholders-command';
import { BUNDLE_USAGE, bundleCommand, conflictsCommand, devicesCommand, haveCommand, keyCommand } from './sync-command';

const USAGE = `Outpost — offline-first field notebook for forward-deployed engineers

Usage: outpost [--notebook DIR] COMMAND

Commands:
  engagements …            list, create, show, edit, archive engagements (outpost engagements --help)
  notes …                  list, show, search, add, export notes (outpost notes --help)
  map …                    an engagement's environment map: show, export, import CSV, layout, trace (outpost map --help)
  bundle …                 export, import, inspect signed encrypted sync bundles (outpost bundle --help)
  have export -o FILE      what this notebook holds, so a peer sends only what is missing
  devices list|revoke      devices whose bundles this notebook accepts
  key create -o FILE       a random team key for bundles
  conflicts list|resolve   fields two devices set at once, found by imports: pick the value that stays
  stakeholders …           the stakeholder registry of an engagement: list, add, remove (outpost stakeholders --help)
  cards …                  translation cards and their per-audience renderings: list, add, render
  brief …                  a one-page brief for a stakeholder or audience, as PDF, HTML or Markdown
  lessons …                lessons learned across engagements: add, list, similar, merge, export (outpost lessons --help)
  playbooks list|create    playbooks: curated lessons in chapters
  info [--json]            the notebook's folder, device identity and classification levels
  levels set L1 L2 …       set the ordered classification levels, lowest first
  device name NAME         set this device's display name
  doctor [--json]          check the notebook: lock, schema version, projection consistency
  projections rebuild      rebuild every projection from the Yjs update log

The notebook is --notebook DIR, else $OUTPOST_NOTEBOOK, else the per-user data folder.
Exit codes: 0 ok, 1 the command failed, 2 bad command line, 3 notebook open elsewhere.
`;

/** Splits off the global --notebook flag wherever it appears. */
function takeNotebookFlag(argv: string[]): { notebook: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let notebook: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--notebook') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError('--notebook needs a folder');
      notebook = value;
      i++;
    } else if (arg.startsWith('--notebook=')) {
      notebook = arg.slice('--notebook='.length);
      if (!notebook) throw new UsageError('--notebook needs a folder');
    } else rest.push(arg);
  }
  return { notebook, rest };
}

export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  try {
    const { notebook: flag, rest } = takeNotebookFlag(argv);
    const [command, ...args] = rest;
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE);
      return command ? 0 : 2;
    }
    if (command === '--version') {
      io.stdout('outpost 0.1.0\n');
      return 0;
    }
    const dir = resolveNotebookDir(flag, io.env);
    if (command === 'doctor') return await doctorCommand(dir, args, io);
    const usage: Record<string, string> = {
      engagements: ENGAGEMENTS_USAGE,
      notes: NOTES_USAGE,
      map: MAP_USAGE,
      bundle: BUNDLE_USAGE,
      have: BUNDLE_USAGE,
      devices: BUNDLE_USAGE,
      key: BUNDLE_USAGE,
      stakeholders: STAKEHOLDERS_USAGE,
      cards: STAKEHOLDERS_USAGE,
      brief: STAKEHOLDERS_USAGE,
      lessons: LESSONS_USAGE,
      playbooks: LESSONS_USAGE,
    };
    if (usage[command] && (args[0] === '--help' || args[0] === '-h')) {
      io.stdout(usage[command] as string);
      return 0;
    }
    // A team key belongs to no notebook.
    if (command === 'key') return await keyCommand(args, io);
    if (
      ![
        'engagements',
        'notes',
        'map',
        'info',
        'levels',
        'device',
        'projections',
        'bundle',
        'have',
        'devices',
        'conflicts',
        'stakeholders',
        'cards',
        'brief',
        'lessons',
        'playbooks',
      ].includes(command)
    ) {
      throw new UsageError(`Unknown command "${command}". Run outpost --help.`);
    }
    const notebook = await Notebook.open(dir, { kind: 'cli' });
    try {
      return await runNotebookCommand(notebook, command, args, io);
    } finally {
      await notebook.close();
    }
  } catch (error) {
    const info = toErrorInfo(error);
    io.stderr(formatError(info));
    if (error instanceof UsageError) return 2;
    return info.code === 'notebook_locked' ? 3 : 1;
  }
}

async function runNotebookCommand(notebook: Notebook, command: string, args: string[], io: CliIO): Promise<number> {
  switch (command) {
    case 'engagements':
      return engagementsCommand(notebook, args, io);
    case 'notes':
      return notesCommand(notebook, args, io);
    case 'map':
      return mapCommand(notebook, args, io);
    case 'bundle':
      return bundleCommand(notebook, args, io);
    case 'have':
      return haveCommand(notebook, args, io);
    case 'devices':
      return devicesCommand(notebook, args, io);
    case 'conflicts':
      return conflictsCommand(notebook, args, io);
    case 'stakeholders':
      return stakeholdersCommand(notebook, args, io);
    case 'cards':
      return cardsCommand(notebook, args, io);
    case 'brief':
      return briefCommand(notebook, args, io);
    case 'lessons':
      return lessonsCommand(notebook, args, io);
    case 'playbooks':
      return playbooksCommand(notebook, args, io);
    case 'info': {
      const { values } = parseCommand(args, { json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
      const info = {
        notebook: notebook.dir,
        notebookId: notebook.settings.notebookId,
        device: { id: notebook.device.deviceId, name: notebook.device.name },
        classificationLevels: notebook.settings.classificationLevels,
      };
      io.stdout(
        values.json
          ? json(info)
          : `Notebook: ${info.notebook}\nDevice:   ${info.device.name} (${info.device.id})\nLevels:   ${info.classificationLevels.join(' < ')}\n`,
      );
      return 0;
    }
    case 'levels': {
      const [sub, ...levels] = args;
      if (sub !== 'set' || !levels.length) throw new UsageError('Usage: outpost levels set LEVEL [LEVEL …] (lowest first)');
      await notebook.setClassificationLevels(levels);
      io.stdout(`Classification levels: ${notebook.settings.classificationLevels.join(' < ')}\n`);
      return 0;
    }
    case 'device': {
      const [sub, ...words] = args;
      if (sub !== 'name' || !words.length) throw new UsageError('Usage: outpost device name NAME');
      notebook.setDeviceName(words.join(' '));
      io.stdout(`This device is now called ${notebook.device.name}\n`);
      return 0;
    }
    case 'projections': {
      parseCommand(args.slice(1), {}, { min: 0, max: 0, names: '' });
      if (args[0] !== 'rebuild') throw new UsageError('Usage: outpost projections rebuild');
      const report = await notebook.rebuildProjections();
      for (const { table, rows } of report) io.stdout(`Rebuilt ${table}: ${rows} rows\n`);
      return 0;
    }
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}
