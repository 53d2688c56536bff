import type { CommandSpec } from './command-spec';
import { doctorCommand } from './doctor-command';
import { engagementsCommand } from './engagements-command';
import { lessonsCommand, playbooksCommand } from './lessons-command';
import { mapCommand } from './map-command';
import { deviceCommand, infoCommand, levelsCommand, projectionsCommand } from './notebook-command';
import { notesCommand } from './notes-command';
import { briefCommand, cardsCommand, stakeholdersCommand } from './stakeholders-command';
import { bundleCommand, conflictsCommand, devicesCommand, haveCommand, keyCommand } from './sync-command';

/** Every command, in the order `outpost --help` lists them. */
export const COMMANDS: CommandSpec[] = [
  engagementsCommand,
  notesCommand,
  mapCommand,
  bundleCommand,
  haveCommand,
  devicesCommand,
  keyCommand,
  conflictsCommand,
  stakeholdersCommand,
  cardsCommand,
  briefCommand,
  lessonsCommand,
  playbooksCommand,
  infoCommand,
  levelsCommand,
  deviceCommand,
  doctorCommand,
  projectionsCommand,
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
