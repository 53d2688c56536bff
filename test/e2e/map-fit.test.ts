import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, cli, newNotebookDir, newPage, startHost } from './helpers';

afterAll(cleanup);

describe('the map fits the window', () => {
  it('fills the space left under its toolbar at any window size, with nothing to scroll', async () => {
    const dir = await newNotebookDir();
    expect((await cli(dir, 'engagements', 'create', '--client', 'Acme', '--codename', 'HERON')).code).toBe(0);
    const id = (JSON.parse((await cli(dir, 'engagements', 'list', '--json')).stdout) as Array<{ id: string }>)[0]?.id;
    const host = await startHost(dir);
    const page = await newPage();
    await page.goto(`${host.url.split('#')[0]}#/engagements/${id}/map`);
    const canvas = page.getByRole('region', { name: 'Environment map' }).locator('.map-canvas');
    await canvas.waitFor();
    for (const [width, height] of [
      [1400, 900],
      [1000, 700],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      await expect
        .poll(async () => {
          const box = await canvas.boundingBox();
          return page.evaluate(
            (bottom) => {
              const main = document.querySelector('main') as HTMLElement;
              return {
                pageScrolls: document.scrollingElement ? document.scrollingElement.scrollHeight > window.innerHeight : false,
                mainScrolls: main.scrollHeight > main.clientHeight,
                canvasInside: bottom !== null && bottom <= window.innerHeight,
              };
            },
            box ? box.y + box.height : null,
          );
        })
        .toEqual({ pageScrolls: false, mainScrolls: false, canvasInside: true });
      const box = await canvas.boundingBox();
      // Most of the window below the toolbar is canvas: it grows with the window.
      expect(box?.height ?? 0).toBeGreaterThan(height * 0.5);
      if (width === 1400) await page.screenshot({ path: '/tmp/outpost-map-1400.png' });
    }
    await host.stop();
  });
});
