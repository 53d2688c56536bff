import type * as Y from 'yjs';
import { readEngagement } from '../../shared/engagements/doc';
import type { EngagementStatus, EngagementSummary } from '../../shared/engagements/model';
import { parseDocId } from '../../shared/ids';
import type { DocLogInfo, Projection, Queryable } from '../docs/projection';
import type { Database } from '../notebook/database';

export interface EngagementRow {
  id: string;
  doc_id: string;
  client: string;
  site: string;
  codename: string;
  ceiling: string;
  start_date: string | null;
  end_date: string | null;
  status: EngagementStatus;
  archived: boolean;
  team_size: number;
  created_at: string;
  updated_at: string;
}

const COLUMNS = [
  'id',
  'doc_id',
  'client',
  'site',
  'codename',
  'ceiling',
  'start_date',
  'end_date',
  'status',
  'archived',
  'team_size',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof EngagementRow>;

export const engagementProjection: Projection<EngagementRow> = {
  kind: 'engagement',
  table: 'engagements',

  compute(docId: string, doc: Y.Doc, log: DocLogInfo): EngagementRow {
    const { engagement } = readEngagement(doc);
    return {
      id: parseDocId(docId).id,
      doc_id: docId,
      client: engagement.client,
      site: engagement.site,
      codename: engagement.codename,
      ceiling: engagement.ceiling,
      start_date: engagement.startDate,
      end_date: engagement.endDate,
      status: engagement.status,
      archived: engagement.archived,
      team_size: engagement.team.length,
      created_at: engagement.createdAt,
      updated_at: log.updatedAt,
    };
  },

  async write(tx: Queryable, row: EngagementRow): Promise<void> {
    const placeholders = COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
    const updates = COLUMNS.filter((c) => c !== 'id')
      .map((c) => `${c} = EXCLUDED.${c}`)
      .join(', ');
    await tx.query(
      `INSERT INTO engagements (${COLUMNS.join(', ')}) VALUES (${placeholders}) ON CONFLICT (id) DO UPDATE SET ${updates}`,
      COLUMNS.map((c) => row[c]),
    );
  },

  async clear(tx: Queryable): Promise<void> {
    await tx.query('DELETE FROM engagements');
  },

  async readAll(db: Queryable | Database): Promise<EngagementRow[]> {
    const result = await db.query<EngagementRow>(`SELECT ${COLUMNS.join(', ')} FROM engagements ORDER BY id`);
    return result.rows;
  },
};

export function rowToSummary(row: EngagementRow): EngagementSummary {
  return {
    id: row.id,
    client: row.client,
    site: row.site,
    codename: row.codename,
    ceiling: row.ceiling,
    startDate: row.start_date,
    endDate: row.end_date,
    status: row.status,
    archived: row.archived,
    teamSize: row.team_size,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
