import fs from 'node:fs';
import { type ErrorInfo, OutpostError } from '../../shared/errors';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input's bytes; refuses (without reading on) once more than `maxBytes` arrive. */
  readStdin: (maxBytes: number) => Promise<Uint8Array>;
  /** Whether standard input is a terminal (nothing piped in): `outpost log` then wants its text as an argument. */
  stdinIsTerminal?: () => boolean;
  /** Ends a long-running command (`watch`) when it settles; the process's own signals otherwise. */
  stopSignal?: Promise<void>;
  env: NodeJS.ProcessEnv;
}

export const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async (maxBytes) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw tooLarge('Standard input', maxBytes);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  },
  stdinIsTerminal: () => process.stdin.isTTY === true,
  env: process.env,
};

function tooLarge(what: string, maxBytes: number): OutpostError {
  return new OutpostError('invalid_request', `${what} is larger than ${formatBytes(maxBytes)}`);
}

/**
 * Text given to a command (standard input or a file): UTF-8, no NUL bytes. Binary data is refused
 * with a clear message instead of being stored as garbage.
 */
export function textOf(bytes: Uint8Array, what: string): string {
  if (bytes.includes(0)) throw new OutpostError('invalid_request', `${what} holds binary data (NUL bytes), not text`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new OutpostError('invalid_request', `${what} is not UTF-8 text`);
  }
}

/** Reads a text file the user named, or standard input for "-", with a size limit. */
export async function readTextInput(file: string, io: CliIO, maxBytes: number): Promise<string> {
  if (file === '-') return textOf(await io.readStdin(maxBytes), 'Standard input');
  let bytes: Uint8Array;
  try {
    if (fs.statSync(file).size > maxBytes) throw tooLarge(file, maxBytes);
    bytes = fs.readFileSync(file);
  } catch (error) {
    if (error instanceof OutpostError) throw error;
    throw new OutpostError('invalid_request', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return textOf(bytes, file);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Left-aligned columns, widths from the content; what a person reads in a terminal. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}

export function formatError(error: ErrorInfo): string {
  const details = error.details?.length ? `\n${error.details.map((d) => `  - ${d}`).join('\n')}` : '';
  return `outpost: ${error.message}${details}\n`;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
