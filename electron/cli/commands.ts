import { UsageError } from './args';
import type { CommandSpec } from './command-spec';
import { COMPLETION_USAGE, completionScript } from './completion-command';
import { doctorCommand } from './doctor-command';
import { engagementsCommand } from './engagements-command';
import { hubCommand } from './hub-command';
import { importCommand } from './import-command';
import { lessonsCommand, playbooksCommand } from './lessons-command';
import { logCommand } from './log-command';
import { mapCommand } from './map-command';
import { deviceCommand, infoCommand, levelsCommand, projectionsCommand } from './notebook-command';
import { notesCommand } from './notes-command';
import { seenCommand } from './seen-command';
import { briefCommand, cardsCommand, stakeholdersCommand } from './stakeholders-command';
import { bundleCommand, conflictsCommand, devicesCommand, haveCommand, keyCommand } from './sync-command';
import { watchCommand } from './watch-command';

/** Every command, in the order `outpost --help` lists them. */
export const COMMANDS: CommandSpec[] = [
  engagementsCommand,
  notesCommand,
  importCommand,
  mapCommand,
  bundleCommand,
  haveCommand,
  devicesCommand,
  keyCommand,
  hubCommand,
  conflictsCommand,
  stakeholdersCommand,
  cardsCommand,
  briefCommand,
  lessonsCommand,
  playbooksCommand,
  logCommand,
  seenCommand,
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
