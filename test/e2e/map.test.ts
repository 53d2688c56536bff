import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanup, closePages, createEngagementInUi, newNotebookDir, newPage, startHost, syncStatus } from './helpers';

afterEach(closePages);
afterAll(cleanup);

const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-e2e-map-'));
afterAll(() => fs.rmSync(downloads, { recursive: true, force: true }));

async function exportAs(page: Page, option: string): Promise<{ name: string; text: string; bytes: Buffer }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('combobox', { name: 'Export the map' }).selectOption({ label: option }),
  ]);
  const file = path.join(fs.mkdtempSync(path.join(downloads, 'd-')), download.suggestedFilename());
  await download.saveAs(file);
  const bytes = fs.readFileSync(file);
  return { name: download.suggestedFilename(), text: bytes.toString('utf8'), bytes };
}

describe('environment map in the browser', () => {
  it('draws two systems and an integration, edits them, lays them out and exports SVG and JSON', async () => {
    const host = await startHost(await newNotebookDir());
    const page = await newPage();
    await page.goto(host.url);
    await createEngagementInUi(page, { client: 'Acme Logistics', codename: 'HERON' });
    await page.getByRole('navigation', { name: 'Engagement sections' }).getByRole('link', { name: 'Map' }).click();
    const map = page.getByRole('region', { name: 'Environment map' });
    await map.getByRole('toolbar', { name: 'Map tools' }).waitFor();

    // First system: added, then named and described in the side panel.
    await map.getByRole('button', { name: 'Add system' }).click();
    const panel = page.getByRole('region', { name: 'System properties' });
    await panel.getByRole('textbox', { name: 'Name' }).fill('SAP ECC');
    await panel.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Application' });
    await panel.getByRole('textbox', { name: 'Vendor' }).fill('SAP');
    await panel.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Degraded' });
    await page.getByRole('group', { name: 'System SAP ECC' }).waitFor();

    await map.getByRole('button', { name: 'Add system' }).click();
    await expect.poll(() => panel.getByRole('textbox', { name: 'Name' }).inputValue()).toMatch(/^New system/);
    await panel.getByRole('textbox', { name: 'Name' }).fill('Manhattan WMS');
    await panel.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Database' });
    await page.getByRole('group', { name: 'System Manhattan WMS' }).waitFor();

    // Connect: select SAP ECC on the canvas, send its data to the WMS, then describe the integration.
    await page.getByRole('group', { name: 'System SAP ECC' }).click();
    await expect.poll(() => panel.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('SAP ECC');
    await panel.getByRole('combobox', { name: 'Send data to' }).selectOption({ label: 'Manhattan WMS' });
    await panel.getByRole('button', { name: 'Add integration' }).click();
    const integration = page.getByRole('region', { name: 'Integration properties' });
    await integration.getByRole('combobox', { name: 'Protocol' }).fill('SFTP/file');
    await integration.getByRole('combobox', { name: 'Data format' }).fill('fixed-width');
    await integration.getByRole('textbox', { name: 'Known issues' }).fill('dates arrive as DDMMYY strings');
    await expect.poll(() => page.locator('.react-flow__edge-text').allTextContents()).toEqual(['SFTP/file · fixed-width']);

    // Undo the last edit, redo it.
    await map.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => integration.getByRole('textbox', { name: 'Known issues' }).inputValue()).toBe('');
    await map.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(() => integration.getByRole('textbox', { name: 'Known issues' }).inputValue()).toBe('dates arrive as DDMMYY strings');

    // Auto-layout puts the data source left of its target.
    await map.getByRole('button', { name: 'Auto-layout' }).click();
    await map.getByText('Laid out 2 systems').waitFor();
    const exported = await exportAs(page, 'JSON');
    expect(exported.name).toBe('HERON-map.json');
    const json = JSON.parse(exported.text);
    const byName = (name: string) => json.systems.find((s: { name: string }) => s.name === name);
    expect(byName('SAP ECC')).toMatchObject({ kind: 'application', vendor: 'SAP', status: 'degraded' });
    expect(byName('Manhattan WMS')).toMatchObject({ kind: 'database' });
    expect(byName('SAP ECC').x).toBeLessThan(byName('Manhattan WMS').x);
    expect(json.integrations).toEqual([
      expect.objectContaining({ from: byName('SAP ECC').id, to: byName('Manhattan WMS').id, protocol: 'SFTP/file', format: 'fixed-width' }),
    ]);

    // SVG: well-formed (also for the browser's own XML parser), with both systems and the hop's label.
    const svg = await exportAs(page, 'SVG image');
    expect(svg.name).toBe('HERON-map.svg');
    expect(XMLValidator.validate(svg.text)).toBe(true);
    expect(
      await page.evaluate((text) => new DOMParser().parseFromString(text, 'image/svg+xml').querySelector('parsererror'), svg.text),
    ).toBeNull();
    expect(svg.text).toContain('SAP ECC');
    expect(svg.text).toContain('SFTP/file · fixed-width');
    const png = await exportAs(page, 'PNG image');
    expect(png.name).toBe('HERON-map.png');
    expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    // Saved to the notebook: a reload shows the same map.
    await expect.poll(() => syncStatus(page).textContent()).toBe('Saved to the notebook');
    await page.reload();
    await page.getByRole('group', { name: 'System Manhattan WMS' }).waitFor();
    await page.getByRole('group', { name: 'System SAP ECC' }).waitFor();

    // Connecting by dragging from a system's right dot to another's left dot (the dots' places are
    // declared to React Flow, not measured: this is where the connection line must snap).
    const dot = async (system: string, side: 'left' | 'right') => {
      const box = await page
        .getByRole('group', { name: `System ${system}` })
        .locator(`.react-flow__handle-${side}`)
        .boundingBox();
      if (!box) throw new Error(`no ${side} dot on ${system}`);
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    };
    const start = await dot('Manhattan WMS', 'right');
    const end = await dot('SAP ECC', 'left');
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2 + 40, { steps: 5 });
    await page.mouse.move(end.x, end.y, { steps: 5 });
    await page.mouse.up();
    await map.getByText('Integration added').waitFor();
    await integration.getByText('Manhattan WMS → SAP ECC').waitFor();

    // A note links the system with [[…]]; the link opens the map on it, and the system lists the note.
    await page.getByRole('navigation', { name: 'Engagement sections' }).getByRole('link', { name: 'Notes' }).click();
    await page.getByRole('button', { name: 'New note' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Dates break at the WMS');
    const body = page.getByRole('textbox', { name: 'Note body' });
    await body.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('The order file from ');
    await page.keyboard.type('[[SAP');
    await page.getByRole('option', { name: /SAP ECC/ }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => body.textContent()).toContain('[[SAP ECC]]');
    await expect.poll(() => syncStatus(page).textContent()).toBe('Saved to the notebook');
    await body.locator('a.system-link').click();
    await expect.poll(() => panel.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('SAP ECC');
    const linking = page.getByRole('region', { name: 'Notes that link this system' });
    await linking.getByRole('link', { name: 'Dates break at the WMS' }).click();
    await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toBe('Dates break at the WMS');
  });

  it('draws a large map’s integrations on a canvas: a click on a line or the system’s list opens one', async () => {
    const host = await startHost(await newNotebookDir());
    const page = await newPage();
    await page.goto(host.url);
    await createEngagementInUi(page, { client: 'Acme Logistics', codename: 'EGRET' });
    await page.getByRole('navigation', { name: 'Engagement sections' }).getByRole('link', { name: 'Map' }).click();
    const map = page.getByRole('region', { name: 'Environment map' });
    await map.getByRole('toolbar', { name: 'Map tools' }).waitFor();

    // 40 systems; each of the first 20 sends to 8 of the other 20: 160 integrations, over the
    // number (150) above which the editor draws them on one canvas.
    const name = (n: number) => `S${String(n).padStart(2, '0')}`;
    const targets = (i: number) => Array.from({ length: 8 }, (_, k) => 21 + ((i + k) % 20));
    const importCsv = async (fileName: string, csv: string, done: string) => {
      await map.getByRole('button', { name: 'Import CSV…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Import systems or integrations from CSV' });
      await dialog.getByLabel('CSV file').setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await expect.poll(() => dialog.getByRole('button', { name: 'Import' }).isEnabled()).toBe(true);
      await dialog.getByRole('button', { name: 'Import' }).click();
      await map.getByText(done).waitFor();
    };
    await importCsv('systems.csv', `name\n${Array.from({ length: 40 }, (_, i) => name(i + 1)).join('\n')}\n`, 'Imported 40 systems');
    const rows = Array.from({ length: 20 }, (_, i) => targets(i + 1).map((t) => `${name(i + 1)},${name(t)},REST`)).flat();
    await importCsv('integrations.csv', `from,to,protocol\n${rows.join('\n')}\n`, 'Imported 160 integrations');
    await map.getByRole('button', { name: 'Auto-layout' }).click();
    await map.getByText('Laid out 40 systems').waitFor();

    // No integration is a separate element on the canvas until its system is selected.
    const integrationsOnCanvas = page.getByRole('group', { name: /^Integration / });
    await expect.poll(() => integrationsOnCanvas.count()).toBe(0);
    await page.getByRole('group', { name: `System ${name(5)}` }).click();
    const panel = page.getByRole('region', { name: 'System properties' });
    await expect.poll(() => panel.getByRole('textbox', { name: 'Name' }).inputValue()).toBe(name(5));
    await expect.poll(() => integrationsOnCanvas.count()).toBe(8);
    const list = panel.getByRole('navigation', { name: 'Integrations of this system' });
    expect(await list.getByRole('button').allTextContents()).toEqual(targets(5).map((t) => `${name(5)} → ${name(t)}`));
    await list.getByRole('button', { name: `${name(5)} → ${name(26)}` }).click();
    const integration = page.getByRole('region', { name: 'Integration properties' });
    await integration.getByText(`${name(5)} → ${name(26)}`).waitFor();
    expect(await integration.getByRole('combobox', { name: 'Protocol' }).inputValue()).toBe('REST');

    // Panning (the pointer held down on empty canvas, moved less than the margin drawn around the
    // view, then more): the line from S12 to S33 is drawn where the systems now are, whether the
    // canvas moved its drawing (a CSS transform) or drew it again. Read from the canvas's pixels
    // at the curve's middle, halfway between the source's right dot and the target's left dot.
    const middle = async () => {
      const from = await page.getByRole('group', { name: `System ${name(12)}` }).boundingBox();
      const to = await page.getByRole('group', { name: `System ${name(33)}` }).boundingBox();
      if (!from || !to) throw new Error('systems not on the canvas');
      return { x: (from.x + from.width + to.x) / 2, y: (from.y + from.height / 2 + to.y + to.height / 2) / 2 };
    };
    const drawnAt = (point: { x: number; y: number }) =>
      page.evaluate(({ x, y }) => {
        const canvas = document.querySelector('.map-edge-canvas-margin') as HTMLCanvasElement;
        const rect = canvas.getBoundingClientRect();
        const scale = canvas.width / rect.width;
        const pixels = canvas
          .getContext('2d')
          ?.getImageData(Math.round((x - rect.left) * scale) - 2, Math.round((y - rect.top) * scale) - 2, 5, 5).data;
        let opaque = 0;
        for (let i = 3; i < (pixels?.length ?? 0); i += 4) if ((pixels?.[i] ?? 0) > 100) opaque++;
        return { opaque, moved: canvas.style.transform !== '' };
      }, point);
    expect((await drawnAt(await middle())).opaque).toBeGreaterThan(0);
    const pane = (await page.locator('.react-flow__pane').boundingBox()) as { x: number; y: number; width: number; height: number };
    const free = await page.evaluate(
      ({ x, y }) => {
        for (let r = 0; r < 300; r += 4)
          for (let a = 0; a < 16; a++) {
            const px = x + Math.cos((a * Math.PI) / 8) * r;
            const py = y + Math.sin((a * Math.PI) / 8) * r;
            if (document.elementFromPoint(px, py)?.classList.contains('react-flow__pane')) return { x: px, y: py };
          }
        throw new Error('no empty spot on the canvas');
      },
      { x: pane.x + pane.width / 2, y: pane.y + pane.height / 2 },
    );
    await page.mouse.move(free.x, free.y);
    await page.mouse.down();
    for (const [dx, dy] of [
      [30, 20],
      [60, 35],
      [240, 35],
    ] as const) {
      await page.mouse.move(free.x + dx, free.y + dy, { steps: 3 });
      const at = await middle();
      if (at.x < pane.x || at.x > pane.x + pane.width || at.y < pane.y || at.y > pane.y + pane.height) continue;
      expect((await drawnAt(at)).opaque, `panned by ${dx}, ${dy}`).toBeGreaterThan(0);
    }
    await page.mouse.up();
    await expect.poll(async () => (await drawnAt(await middle())).moved).toBe(false);
    expect((await drawnAt(await middle())).opaque).toBeGreaterThan(0);
    // Back where it was (the spot under the pointer moved with the map: still empty canvas).
    await page.mouse.down();
    await page.mouse.move(free.x, free.y, { steps: 3 });
    await page.mouse.up();

    // A click halfway along a line drawn on the canvas (S12 → S33) opens that integration.
    const from = await page.getByRole('group', { name: `System ${name(12)}` }).boundingBox();
    const to = await page.getByRole('group', { name: `System ${name(33)}` }).boundingBox();
    if (!from || !to) throw new Error('systems not on the canvas');
    await page.mouse.click((from.x + from.width + to.x) / 2, (from.y + from.height / 2 + to.y + to.height / 2) / 2);
    await integration.getByText(`${name(12)} → ${name(33)}`).waitFor();
    await expect.poll(() => integrationsOnCanvas.count()).toBe(1);
  });
});
