import { OutpostError } from '../../shared/errors';
import { withoutFieldKey } from '../app/modal';

/** What the side panel shows: one system, one integration, or (null) the zones. */
export type MapSelection = { kind: 'system' | 'integration'; id: string } | null;

/** The message a refused map change shows: the validation details when there are some. */
export function describeMapError(error: unknown): string {
  if (error instanceof OutpostError) return error.details?.map(withoutFieldKey).join('; ') || error.message;
  return (error as Error).message;
}
