import { z } from 'zod';
import type { CallSpec } from '../api/call-spec';
import { downloadTicketSchema } from '../api/downloads';
import { base64Schema } from '../bytes';
import { uuidSchema } from '../ids';
import { MAX_IMPORT_CHARS } from './csv-import';
import { integrationFieldSchemas, MAP_STATUSES, systemFieldSchemas, zoneFieldSchemas } from './model';

/** Schemas of the map's contract calls (shared/api/contract.ts). */

export const MAP_EXPORT_FORMATS = ['mermaid', 'json', 'svg', 'md', 'csv', 'integrations-csv'] as const;
export type MapExportFormat = (typeof MAP_EXPORT_FORMATS)[number];

/** At most this many row errors travel to the renderer; `errorCount` has the total. */
export const MAX_REPORTED_ROW_ERRORS = 500;

export const mapImportRequestSchema = z.strictObject({
  engagementId: uuidSchema,
  /** The file's text (the renderer decodes the bytes with `decodeCsv`). */
  csv: z.string().max(MAX_IMPORT_CHARS, `Outpost imports CSV files up to ${MAX_IMPORT_CHARS / 1024 / 1024} MB`),
  /** Column → field ('' ignores the column); omitted, the mapping is guessed from the headers. */
  mapping: z.record(z.string().max(500), z.string().max(40)).optional(),
});

const countsSchema = z.strictObject({ systems: z.number().int(), integrations: z.number().int(), zones: z.number().int() });

export const mapImportPreviewSchema = z.strictObject({
  kind: z.enum(['systems', 'integrations']).nullable(),
  headers: z.array(z.string()),
  mapping: z.record(z.string(), z.string()),
  rows: z.number().int(),
  preview: z.array(z.record(z.string(), z.string())),
  errors: z.array(z.strictObject({ row: z.number().int(), message: z.string() })).max(MAX_REPORTED_ROW_ERRORS),
  errorCount: z.number().int(),
  counts: countsSchema,
});
export type MapImportPreview = z.infer<typeof mapImportPreviewSchema>;

export const mapImportResultSchema = z.strictObject({ counts: countsSchema, rows: z.number().int() });

export const mapExportRequestSchema = z.strictObject({ engagementId: uuidSchema, format: z.enum(MAP_EXPORT_FORMATS) });
export const mapExportResultSchema = z.strictObject({ text: z.string(), fileName: z.string(), mime: z.string() });

export const mapFindSystemsRequestSchema = z.strictObject({
  engagementId: uuidSchema,
  query: z.string().max(200),
  limit: z.number().int().min(1).max(50).default(8),
});
export const mapFindSystemsResultSchema = z.strictObject({
  systems: z.array(z.strictObject({ id: z.string(), name: z.string(), kind: z.string() })),
});

/**
 * An export the renderer made (SVG, PNG, Mermaid, JSON, CSV, Markdown) handed to the one-time
 * download store, so the desktop window (which loads nothing but app://, no blob: URLs) can save it.
 */
export const mapDownloadRequestSchema = z.strictObject({
  fileName: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\p{L}\p{N}._ -]+$/u, 'A file name of letters, digits, spaces, ".", "_" and "-"'),
  data: base64Schema,
});
export const mapDownloadResultSchema = z.strictObject({ token: z.string(), expiresAt: z.string() });

/** The map as read from the engagement's doc (shared/map/doc.ts readMap): every value already checked there. */
export const mapReadingSchema = z.strictObject({
  map: z.strictObject({
    systems: z.array(z.strictObject({ id: z.string(), ...systemFieldSchemas })),
    integrations: z.array(z.strictObject({ ...integrationFieldSchemas, id: z.string(), from: z.string(), to: z.string() })),
    zones: z.array(z.strictObject({ id: z.string(), ...zoneFieldSchemas })),
  }),
  problems: z.array(z.string()),
});

const traceHopSchema = z.strictObject({
  integrationId: z.string(),
  from: z.string(),
  to: z.string(),
  label: z.string(),
  protocol: z.string(),
  format: z.string(),
  status: z.enum(MAP_STATUSES),
  issues: z.string(),
  reversed: z.boolean(),
});

export const mapCalls = {
  /** An engagement's map (systems, integrations, zones) and the values its reading had to replace. */
  'map.read': { request: z.strictObject({ engagementId: uuidSchema }), response: mapReadingSchema },
  /** Lays the whole map out left to right and saves the positions as one change; says how many systems moved. */
  'map.layout': { request: z.strictObject({ engagementId: uuidSchema }), response: z.strictObject({ systems: z.number().int() }) },
  /** The paths from one system to another (ids), shortest first, along the integrations or in any direction. */
  'map.trace': {
    request: z.strictObject({ engagementId: uuidSchema, from: uuidSchema, to: uuidSchema, anyDirection: z.boolean().default(false) }),
    response: z.strictObject({ paths: z.array(z.array(traceHopSchema)), truncated: z.boolean() }),
  },
  /** A map export as a one-time download (the CLI reads it in pieces with downloads.read). */
  'map.exportDownload': { request: mapExportRequestSchema, response: downloadTicketSchema },
  /** Environment map: what a CSV import would do (column mapping, rows, per-row errors); writes nothing. */
  'map.importPreview': { request: mapImportRequestSchema, response: mapImportPreviewSchema },
  /** Applies a CSV import only when no row is rejected: all rows in one change, or nothing. */
  'map.importApply': { request: mapImportRequestSchema, response: mapImportResultSchema },
  /** The map as Mermaid, JSON, SVG, or the inventory as Markdown / CSV. */
  'map.export': { request: mapExportRequestSchema, response: mapExportResultSchema },
  /** Systems of an engagement's map whose name contains the query (for `[[` links from notes). */
  'map.findSystems': { request: mapFindSystemsRequestSchema, response: mapFindSystemsResultSchema },
  /** Puts an export made in the renderer into the one-time download store (GET /bundles/<token>). */
  'map.download': { request: mapDownloadRequestSchema, response: mapDownloadResultSchema },
} satisfies Record<string, CallSpec>;
