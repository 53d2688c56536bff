import { getBezierPath, Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { drawEdges, edgeCenter, edgeGeometry, edgeStyle, HEALTHY_EDGE_COLOR, hitTest, shiftWithin } from '../../../renderer/map/edge-layer';
import { MAP_STATUS_COLORS, type MapIntegration, NODE_SIZE } from '../../../shared/map/model';

const integration = (id: string, from: string, to: string, extra: Partial<MapIntegration> = {}): MapIntegration => ({
  id,
  from,
  to,
  label: '',
  direction: 'one-way',
  protocol: '',
  format: '',
  frequency: '',
  auth: '',
  owner: '',
  status: 'healthy',
  issues: '',
  ...extra,
});

const positions = new Map([
  ['a', { x: 0, y: 0 }],
  ['b', { x: 400, y: 300 }],
  ['c', { x: -600, y: 100 }],
]);

describe('integrations drawn on the canvas', () => {
  it('follow the same curve as React Flow’s own edges, from the right dot to the left dot', () => {
    for (const [from, to] of [
      ['a', 'b'],
      ['a', 'c'], // backwards: the curve loops out of the source and into the target
    ] as const) {
      const [e] = edgeGeometry([integration('i', from, to)], positions);
      const source = positions.get(from) as { x: number; y: number };
      const target = positions.get(to) as { x: number; y: number };
      // Handles are 8 px dots centred on the box's sides.
      const [path, labelX, labelY] = getBezierPath({
        sourceX: source.x + NODE_SIZE.width + 4,
        sourceY: source.y + NODE_SIZE.height / 2,
        sourcePosition: Position.Right,
        targetX: target.x - 4,
        targetY: target.y + NODE_SIZE.height / 2,
        targetPosition: Position.Left,
      });
      expect(`M${e?.sx},${e?.sy} C${e?.c1x},${e?.c1y} ${e?.c2x},${e?.c2y} ${e?.tx},${e?.ty}`).toBe(path);
      expect(edgeCenter(e as NonNullable<typeof e>)).toEqual([labelX, labelY]);
    }
  });

  it('leave out integrations whose systems are not placed, and keep label, direction and status', () => {
    const edges = edgeGeometry(
      [
        integration('i1', 'a', 'b', { protocol: 'SFTP/file', format: 'fixed-width', direction: 'two-way', status: 'planned' }),
        integration('i2', 'a', 'missing'),
      ],
      positions,
    );
    expect(edges.map((e) => [e.id, e.label, e.twoWay, e.style])).toEqual([['i1', 'SFTP/file · fixed-width', true, 'planned']]);
    expect(edgeStyle('planned')).toEqual({ color: MAP_STATUS_COLORS.planned, dashed: true });
    expect(edgeStyle('healthy')).toEqual({ color: HEALTHY_EDGE_COLOR, dashed: false });
  });

  it('are picked by a click near the line, the nearest one when lines are close, none away from every line', () => {
    const edges = edgeGeometry([integration('ab', 'a', 'b'), integration('ac', 'a', 'c')], positions);
    const ab = edges.find((e) => e.id === 'ab') as (typeof edges)[number];
    const [x, y] = edgeCenter(ab);
    expect(hitTest(edges, x, y, 6)?.id).toBe('ab');
    expect(hitTest(edges, x + 3, y - 2, 6)?.id).toBe('ab');
    expect(hitTest(edges, x, y + 40, 6)).toBeNull();
    // Where both start (a's right dot) one of them is picked.
    expect(['ab', 'ac']).toContain(hitTest(edges, ab.sx + 1, ab.sy, 6)?.id);
    expect(hitTest(edges, 10_000, 10_000, 6)).toBeNull();
  });
});

describe('the layer drawn with a margin around the view', () => {
  const view = { x: -100, y: 40, zoom: 1, width: 1400, height: 1000, dpr: 1 };
  const drawn = { view, labelled: false };

  it('is moved, not drawn again, while the view only pans within the margin', () => {
    expect(shiftWithin(drawn, { ...view, x: -60, y: -80 }, false, 160)).toEqual({ dx: 40, dy: -120 });
    expect(shiftWithin(drawn, { ...view, x: 60, y: 200 }, false, 160)).toEqual({ dx: 160, dy: 160 });
  });

  it('is drawn again past the margin, at another zoom or size, and for labels', () => {
    expect(shiftWithin(drawn, { ...view, x: 61 }, false, 160)).toBeNull();
    expect(shiftWithin(drawn, { ...view, y: -121 }, false, 160)).toBeNull();
    expect(shiftWithin(drawn, { ...view, zoom: 1.01 }, false, 160)).toBeNull();
    expect(shiftWithin(drawn, { ...view, width: 1401 }, false, 160)).toBeNull();
    expect(shiftWithin(drawn, { ...view, dpr: 2 }, false, 160)).toBeNull();
    // Labels are drawn once the view settles; the first pan after that draws without them.
    expect(shiftWithin(drawn, view, true, 160)).toBeNull();
    expect(shiftWithin({ view, labelled: true }, view, false, 160)).toBeNull();
    expect(shiftWithin(null, view, false, 160)).toBeNull();
  });

  it('labels only the integrations whose middle is in the visible part, not in the margin', () => {
    const edges = edgeGeometry(
      [integration('in', 'a', 'b', { label: 'seen' }), integration('out', 'c', 'a', { label: 'in the margin' })],
      positions,
    );
    const texts: string[] = [];
    const context = new Proxy({ canvas: { width: 1, height: 1 } } as Record<string | symbol, unknown>, {
      get: (target, key) =>
        key in target
          ? target[key]
          : key === 'fillText'
            ? (text: string) => texts.push(text)
            : key === 'measureText'
              ? () => ({ width: 20 })
              : () => undefined,
      set: () => true,
    }) as unknown as CanvasRenderingContext2D;
    // Flow x and y from -700 to 1000 drawn; with a 600 px margin, -100 to 400 seen. The middle of a → b
    // is at x 290, that of c → a at x -210: drawn, but in the margin.
    const wide = { x: 700, y: 700, zoom: 1, width: 1700, height: 1700, dpr: 1 };
    drawEdges(context, wide, [], edges, { text: '#000', background: '#fff' }, 0);
    expect(texts).toEqual(['seen', 'in the margin']);
    texts.length = 0;
    drawEdges(context, wide, [], edges, { text: '#000', background: '#fff' }, 600);
    expect(texts).toEqual(['seen']);
  });

  it('clips a zoom step to the visible part (nothing stroked in the margin)', () => {
    const calls: [string, unknown[]][] = [];
    const context = new Proxy({ canvas: { width: 2000, height: 1600 } } as Record<string | symbol, unknown>, {
      get: (target, key) => (key in target ? target[key] : (...args: unknown[]) => calls.push([String(key), args])),
      set: () => true,
    }) as unknown as CanvasRenderingContext2D;
    const view = { x: 0, y: 0, zoom: 1, width: 1000, height: 800, dpr: 2 };
    drawEdges(context, view, [], null, { text: '#000', background: '#fff' }, 100, true);
    expect(calls.filter(([name]) => name === 'rect' || name === 'clip')).toEqual([
      ['rect', [200, 200, 1600, 1200]],
      ['clip', []],
    ]);
    expect(calls.at(-1)?.[0]).toBe('restore');
    calls.length = 0;
    drawEdges(context, view, [], null, { text: '#000', background: '#fff' }, 100, false);
    expect(calls.some(([name]) => name === 'clip')).toBe(false);
  });
});
