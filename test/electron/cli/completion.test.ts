import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../electron/cli/commands';
import { completionScript } from '../../../electron/cli/completion-command';
import { tempDir } from '../../helpers/notebook';

/** What a shell offers after `line` (the cursor at its end), with the generated script loaded. */
function bashOffers(shell: 'bash' | 'zsh', line: string): string[] {
  const dir = tempDir();
  const script = path.join(dir, `outpost.${shell}`);
  fs.writeFileSync(script, completionScript(shell, COMMANDS));
  const words = line.split(' ');
  const array = words.map((w) => `'${w}'`).join(' ');
  const program =
    shell === 'bash'
      ? `source ${script}; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _outpost; printf '%s\\n' "\${COMPREPLY[@]}"`
      : `source ${script}; setopt ksharrays; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _outpost; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const offered = execFileSync(shell, ['-c', program], { encoding: 'utf8', cwd: dir }).split('\n').filter(Boolean);
  // zsh matches the offers against the word being completed itself; bash's compgen already did.
  return offered.filter((word) => word.startsWith(words[words.length - 1] as string));
}

function fishOffers(line: string): string[] {
  const dir = tempDir();
  const script = path.join(dir, 'outpost.fish');
  fs.writeFileSync(script, completionScript('fish', COMMANDS));
  return execFileSync('fish', ['-c', `source ${script}; complete -C '${line}'`], { encoding: 'utf8', cwd: dir })
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0] as string);
}

const has = (shell: string) => fs.existsSync(`/usr/bin/${shell}`) || fs.existsSync(`/bin/${shell}`);

describe.each(['bash', 'zsh'] as const)('%s completion', (shell) => {
  it.skipIf(!has(shell))('offers commands, subcommands, flags and flag values from the command definitions', () => {
    expect(bashOffers(shell, 'outpost no')).toEqual(['notes']);
    expect(bashOffers(shell, 'outpost notes li')).toEqual(['list']);
    expect(bashOffers(shell, 'outpost notes list --ty')).toEqual(['--type']);
    expect(bashOffers(shell, 'outpost notes list --type inc')).toEqual(['incident']);
    expect(bashOffers(shell, 'outpost --notebook /tmp/nb engagements list --sort co')).toEqual(['codename']);
    expect(bashOffers(shell, 'outpost log --co')).toEqual(['--code']);
    expect(bashOffers(shell, 'outpost completion f')).toEqual(['fish']);
  });
});

describe('fish completion', () => {
  it.skipIf(!has('fish'))('offers the same from the same definitions', () => {
    expect(fishOffers('outpost notes li')).toEqual(['list']);
    expect(fishOffers('outpost notes list --type inc')).toEqual(['incident']);
    expect(fishOffers('outpost engagements list --so')).toEqual(['--sort']);
  });
});

describe('completion command', () => {
  it('covers every command the CLI has (a new command cannot be forgotten)', () => {
    const bash = completionScript('bash', COMMANDS);
    for (const command of COMMANDS) expect(bash).toContain(`[${command.name}]=`);
  });

  it('refuses an unknown shell', () => {
    expect(() => completionScript('powershell', COMMANDS)).toThrow(/bash, zsh or fish/);
  });
});
