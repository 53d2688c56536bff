import { type Options, parseCommand, UsageError } from './args';
import type { CliApi } from './cli-api';
import type { CliIO } from './output';

/**
 * A CLI command, declared once: its subcommands with their flags and positionals (what the parser
 * checks, `--help` prints and shell completion offers) and how it runs. Commands talk to the
 * notebook only through the contract (CliApi), so each works the same whether the CLI opened the
 * notebook itself or sends its calls to the app that holds it.
 */
export interface ArgSpec<F extends Options = Options> {
  flags: F;
  positionals?: { min: number; max: number; names: string };
  /** Values a flag takes, for checking and completion (the contract validates them again). */
  choices?: Record<string, readonly string[]>;
  /**
   * Flags of `choices` typed loosely: case, "-", "/" and spaces do not matter ("IT-security" is
   * it_security), and the value becomes the choice it names.
   */
  lenient?: readonly string[];
}

export type Subcommands = Record<string, ArgSpec>;

export interface CommandSpec<M extends Subcommands = Subcommands> {
  name: string;
  /** One line for `outpost --help`. */
  summary: string;
  usage: string;
  /** Subcommands (`notes list`), or, for a command that has none (`log`), its own arguments under ''. */
  subcommands: M;
  /** Runs without a notebook (no channel, no PGlite): `key create`, `completion`; or only some subcommands (`hub serve`). */
  noNotebook?: boolean | ((args: string[]) => boolean);
  run(ctx: CommandContext, args: string[]): Promise<number>;
}

export interface CommandContext {
  /** The contract, in this process or through the holder's channel (unusable for noNotebook commands). */
  api: CliApi;
  io: CliIO;
  /** The notebook folder named by --notebook / OUTPOST_NOTEBOOK / the default. */
  dir: string;
}

export function defineCommand<const M extends Subcommands>(spec: CommandSpec<M>): CommandSpec<M> {
  return spec;
}

/** Parses a subcommand's arguments against its declared flags, positionals and choices. */
export function parseSub<M extends Subcommands, S extends keyof M & string>(subs: M, sub: S, args: string[]) {
  const declared = subs[sub] as M[S];
  const parsed = parseCommand(args, declared.flags as M[S]['flags'], declared.positionals ?? { min: 0, max: 0, names: '' });
  const values = parsed.values as Record<string, unknown>;
  for (const [flag, allowed] of Object.entries(declared.choices ?? {})) {
    if (typeof values[flag] === 'string' && declared.lenient?.includes(flag)) values[flag] = looseChoice(values[flag]);
    const value = values[flag];
    if (typeof value === 'string' && !allowed.includes(value)) throw new UsageError(`--${flag} is one of ${allowed.join(', ')}`);
  }
  return parsed;
}

function looseChoice(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[-/ ]+/g, '_');
}

/** The subcommand named first in `args`, or a usage error listing them. */
export function pickSub<M extends Subcommands>(
  name: string,
  usage: string,
  subs: M,
  args: string[],
): { sub: keyof M & string; rest: string[] } {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '' || !Object.hasOwn(subs, sub))
    throw new UsageError(sub ? `Unknown command "${name} ${sub}"\n${usage}` : usage);
  return { sub, rest };
}
