import { describe, expect, it } from 'vitest';
import {
  appliesToLabel,
  appliesToVocabulary,
  describeImprovement,
  movedPosition,
  parseAppliesTo,
  parseMeasure,
  retrospectiveProgress,
  skillAreaOptions,
  snippetParts,
  toggleValue,
} from '../../../renderer/lessons/vocabulary';
import { DEFAULT_SKILL_AREAS } from '../../../shared/lessons/model';

describe('skill area options', () => {
  it('offers the defaults first, then the others in use, each once whatever its case', () => {
    const options = skillAreaOptions(['Vendor management', 'production debugging', ' Vendor Management ', '', 'Change control']);
    expect(options.slice(0, DEFAULT_SKILL_AREAS.length)).toEqual([...DEFAULT_SKILL_AREAS]);
    expect(options.slice(DEFAULT_SKILL_AREAS.length)).toEqual(['Change control', 'Vendor management']);
  });
});

describe('"applies to" vocabulary', () => {
  const map = {
    systems: [{ kind: 'database' }, { kind: 'database' }, { kind: 'queue' }],
    integrations: [
      { protocol: 'SOAP', format: 'XML' },
      { protocol: 'Odd-Proto', format: '' },
    ],
  };
  const vocabulary = appliesToVocabulary(map);

  it('holds every system kind, the suggestions and what the map uses, the map’s own first in each group', () => {
    const values = vocabulary.map((v) => v.value);
    expect(values).toContain('system:application');
    expect(values).toContain('protocol:Kafka');
    expect(values).toContain('format:Parquet');
    expect(values).toContain('protocol:Odd-Proto');
    expect(values.filter((v) => v === 'protocol:SOAP')).toHaveLength(1);
    expect(values.slice(0, 2).sort()).toEqual(['system:database', 'system:queue']);
    const protocols = vocabulary.filter((v) => v.value.startsWith('protocol:'));
    expect(protocols.slice(0, 2).every((p) => p.inMap)).toBe(true);
    expect(
      protocols
        .filter((p) => p.inMap)
        .map((p) => p.value)
        .sort(),
    ).toEqual(['protocol:Odd-Proto', 'protocol:SOAP']);
  });

  it('labels items as people read them', () => {
    expect(appliesToLabel('system:file_drop')).toBe('File drop (system)');
    expect(appliesToLabel('protocol:SOAP')).toBe('SOAP (protocol)');
    expect(appliesToLabel('format:EDI X12')).toBe('EDI X12 (format)');
    expect(appliesToLabel('system:unknown-kind')).toBe('unknown-kind (system)');
  });

  it('turns typed text into an item: a label or value, a prefix, a system kind, else a protocol', () => {
    expect(parseAppliesTo('Database (system)', vocabulary)).toBe('system:database');
    expect(parseAppliesTo('soap (PROTOCOL)', vocabulary)).toBe('protocol:SOAP');
    expect(parseAppliesTo('format: COBOL copybook', vocabulary)).toBe('format:COBOL copybook');
    expect(parseAppliesTo('Message queue', vocabulary)).toBe('system:queue');
    expect(parseAppliesTo('AS2', vocabulary)).toBe('protocol:AS2');
    expect(parseAppliesTo('   ', vocabulary)).toBeNull();
  });
});

describe('outcome metrics', () => {
  it('parses numbers, empty as not measured, refuses the rest', () => {
    expect(parseMeasure('')).toBeNull();
    expect(parseMeasure(' 1,250.5 ')).toBe(1250.5);
    expect(parseMeasure('-3')).toBe(-3);
    expect(parseMeasure('12 picks')).toBeUndefined();
    expect(parseMeasure('Infinity')).toBeUndefined();
  });

  it('describes the improvement with its sign following "better"', () => {
    expect(describeImprovement({ baseline: 140, achieved: 12, better: 'lower', unit: 'late picks/day' })).toBe(
      'Improved by 128 late picks/day (91.43 %)',
    );
    expect(describeImprovement({ baseline: 0.82, achieved: 0.91, better: 'higher', unit: '' })).toBe('Improved by 0.09 (10.98 %)');
    expect(describeImprovement({ baseline: 10, achieved: 12, better: 'lower', unit: '' })).toBe('Worse by 2 (20 %)');
    expect(describeImprovement({ baseline: 0, achieved: 5, better: 'higher', unit: 'runs' })).toBe('Improved by 5 runs');
    expect(describeImprovement({ baseline: 3, achieved: 3, better: 'higher', unit: '' })).toBe('No change');
    expect(describeImprovement({ baseline: null, achieved: 3, better: 'higher', unit: '' })).toBeNull();
  });
});

describe('moving a chapter', () => {
  it('puts it halfway between its new neighbours, or one past the end', () => {
    const positions = [1, 2, 3, 4];
    expect(movedPosition(positions, 2, -1)).toBe(1.5);
    expect(movedPosition(positions, 1, -1)).toBe(0);
    expect(movedPosition(positions, 1, 1)).toBe(3.5);
    expect(movedPosition(positions, 2, 1)).toBe(5);
    expect(movedPosition(positions, 0, -1)).toBeNull();
    expect(movedPosition(positions, 3, 1)).toBeNull();
  });

  it('yields an order where the chapter moved exactly one step', () => {
    const positions = [1, 2, 3, 4];
    const moved = movedPosition(positions, 3, -1) as number;
    const order = ['a', 'b', 'c', 'd'].map((id, i) => ({ id, p: i === 3 ? moved : (positions[i] as number) })).sort((x, y) => x.p - y.p);
    expect(order.map((o) => o.id).join('')).toBe('abdc');
  });
});

describe('retrospective progress', () => {
  it('counts decided items and finds the first still to decide', () => {
    expect(retrospectiveProgress(['a', 'b', 'c'], { a: { type: 'skipped' }, c: { type: 'lesson' } })).toEqual({
      decided: 2,
      total: 3,
      next: 'b',
    });
    expect(retrospectiveProgress(['a'], { a: { type: 'skipped' } })).toEqual({ decided: 1, total: 1, next: null });
    expect(retrospectiveProgress([], {})).toEqual({ decided: 0, total: 0, next: null });
  });
});

describe('snippets and facets', () => {
  it('splits a snippet on « » into marked and plain parts', () => {
    expect(snippetParts('the «ERP» API «throttles» us')).toEqual([
      { text: 'the ', match: false },
      { text: 'ERP', match: true },
      { text: ' API ', match: false },
      { text: 'throttles', match: true },
      { text: ' us', match: false },
    ]);
    expect(snippetParts('plain')).toEqual([{ text: 'plain', match: false }]);
  });

  it('toggles a facet value once', () => {
    expect(toggleValue(undefined, 'a', true)).toEqual(['a']);
    expect(toggleValue(['a'], 'a', true)).toEqual(['a']);
    expect(toggleValue(['a', 'b'], 'a', false)).toEqual(['b']);
  });
});
