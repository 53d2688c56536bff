import { OutpostError } from '../../shared/errors';
import type { Notebook } from '../notebook/notebook';
import { UsageError } from './args';
import type { CommandSpec } from './command-spec';
import { COMPLETION_USAGE, completionScript } from './completion-command';
import { doctorCommand } from './doctor-command';
import { engagementsCommand } from './engagements-command';
import { LESSONS_USAGE, lessonsCommand, playbooksCommand } from './lessons-command';
import { logCommand } from './log-command';
import { MAP_USAGE, mapCommand } from './map-command';
import { deviceCommand, infoCommand, levelsCommand, projectionsCommand } from './notebook-command';
import { notesCommand } from './notes-command';
import type { CliIO } from './output';
import { briefCommand, cardsCommand, STAKEHOLDERS_USAGE, stakeholdersCommand } from './stakeholders-command';
import { BUNDLE_USAGE, bundleCommand, conflictsCommand, devicesCommand, haveCommand, keyCommand } from './sync-command';
import { watchCommand } from './watch-command';

/**
 * A command not yet moved onto the contract: it needs the notebook open in this process, so it
 * runs only when no app holds it.
 */
function onOpenNotebook(
  name: string,
  summary: string,
  usage: string,
  run: (notebook: Notebook, args: string[], io: CliIO) => Promise<number>,
): CommandSpec {
  return {
    name,
    summary,
    usage,
    subcommands: {},
    run: async ({ api, io }, args) => {
      const notebook = (api as { notebook?: Notebook }).notebook;
      if (!notebook)
        throw new OutpostError(
          'notebook_locked',
          `outpost ${name} runs only while no app has the notebook open (${api.answeredBy} has it).`,
        );
      return run(notebook, args, io);
    },
  };
}

/** Every command, in the order `outpost --help` lists them. */
export const COMMANDS: CommandSpec[] = [
  engagementsCommand,
  notesCommand,
  onOpenNotebook('map', "an engagement's environment map: show, export, import CSV, layout, trace", MAP_USAGE, mapCommand),
  onOpenNotebook('bundle', 'export, import, inspect signed encrypted sync bundles', BUNDLE_USAGE, bundleCommand),
  onOpenNotebook('have', 'export -o FILE: what this notebook holds, so a peer sends only what is missing', BUNDLE_USAGE, haveCommand),
  onOpenNotebook('devices', 'list|revoke: devices whose bundles this notebook accepts', BUNDLE_USAGE, devicesCommand),
  {
    name: 'key',
    summary: 'create -o FILE: a random team key for bundles',
    usage: BUNDLE_USAGE,
    subcommands: {},
    noNotebook: true,
    run: ({ io }, args) => keyCommand(args, io),
  },
  onOpenNotebook('conflicts', 'list|resolve: fields two devices set at once, found by imports', BUNDLE_USAGE, conflictsCommand),
  onOpenNotebook('stakeholders', 'the stakeholder registry of an engagement: list, add, remove', STAKEHOLDERS_USAGE, stakeholdersCommand),
  onOpenNotebook('cards', 'translation cards and their per-audience renderings: list, add, render', STAKEHOLDERS_USAGE, cardsCommand),
  onOpenNotebook('brief', 'a one-page brief for a stakeholder or audience, as PDF, HTML or Markdown', STAKEHOLDERS_USAGE, briefCommand),
  onOpenNotebook('lessons', 'lessons learned across engagements: add, list, similar, merge, export', LESSONS_USAGE, lessonsCommand),
  onOpenNotebook('playbooks', 'list|create: curated lessons in chapters', LESSONS_USAGE, playbooksCommand),
  logCommand,
  watchCommand,
  infoCommand,
  levelsCommand,
  deviceCommand,
  doctorCommand,
  projectionsCommand,
  {
    name: 'completion',
    summary: 'bash|zsh|fish: shell completion for outpost, to source or install',
    usage: COMPLETION_USAGE,
    subcommands: { bash: { flags: {} }, zsh: { flags: {} }, fish: { flags: {} } },
    noNotebook: true,
    run: async ({ io }, args) => {
      if (args.length !== 1) throw new UsageError(COMPLETION_USAGE.trim());
      io.stdout(completionScript(args[0] as string, COMMANDS));
      return 0;
    },
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
