import type { Notebook } from '../notebook/notebook';
import { UsageError } from './args';
import type { CliIO } from './output';

// SCAFFOLD (session 4): replaced by the sanitized export.
export async function lessonsExportCommand(_notebook: Notebook, _args: string[], _io: CliIO): Promise<number> {
  throw new UsageError('outpost lessons export is being built');
}
