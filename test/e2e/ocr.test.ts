import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { closeScreens, screenshotOf } from '../helpers/screenshots';
import { cleanup, createEngagementInUi, newNotebookDir, newPage, sameViewOn, startHost, writeNote } from './helpers';

/** Where the screenshot file is written for the file input; removed after the run. */
const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-ocr-'));

afterAll(async () => {
  await closeScreens();
  await cleanup();
  fs.rmSync(shots, { recursive: true, force: true });
});

/** A screen an engineer would screenshot on site: an error and, to search for, a word no note types. */
const SCREEN = [
  'WAVE RELEASE FAILED',
  'ORA-12170: TNS connect timeout on host erp-db-03 port 1521',
  'Operator QUOKKAWAVE pressed F3 to retry',
];

/** The note's image named `alt`, with its "Text in image" button and panel. */
/** axe-core's serious and critical findings on the page as it is (as in accessibility.test.ts). */
async function axeFindings(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

function imageBlock(page: Page, alt: string) {
  const block = page
    .getByRole('textbox', { name: 'Note body' })
    .locator('.note-image')
    .filter({ has: page.locator(`img[alt="${alt}"]`) });
  return {
    block,
    toggle: block.getByRole('button', { name: 'Text in image' }),
    panel: block.getByRole('region', { name: 'Text in image' }),
  };
}

describe('text in images (OCR) in the browser twin', () => {
  it('reads a pasted screenshot in the background, shows its text, and finds the note by a word in it', async () => {
    const dir = await newNotebookDir();
    const host = await startHost(dir);
    const page = await newPage();
    await page.goto(host.url);
    await createEngagementInUi(page, { client: 'Acme Logistics', codename: 'WALLABY' });
    await writeNote(page, 'Wave release outage', 'Screenshot from the dock terminal:');

    // A screenshot of known text (rendered by Chromium, as a screen shows it), attached through
    // the editor's file input, and a file that claims to be a PNG but is not one.
    const shot = path.join(shots, 'dock-terminal.png');
    fs.writeFileSync(shot, await screenshotOf(SCREEN, { width: 900, height: 220 }));
    await page.getByLabel('Attach files', { exact: true }).setInputFiles(shot);
    const terminal = imageBlock(page, 'dock-terminal.png');
    await expect.poll(() => terminal.block.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(900);
    await page.getByLabel('Attach files', { exact: true }).setInputFiles({
      name: 'broken-screen.png',
      mimeType: 'image/png',
      buffer: Buffer.from('this is not a PNG, whatever its name says'),
    });
    const broken = imageBlock(page, 'broken-screen.png');
    await broken.block.waitFor();
    await page.getByText('Saved to the notebook').waitFor();

    // Closed until asked for; opening it shows the text once the background reading is done.
    await expect.poll(() => terminal.toggle.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => terminal.panel.count()).toBe(0);
    await terminal.toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => terminal.toggle.getAttribute('aria-expanded')).toBe('true');
    // Usually still "Reading the text in this image…" here: the text then arrives through Yjs into
    // the open panel (the view updates in place, so it stays open).
    await expect.poll(() => terminal.panel.textContent(), { timeout: 60_000 }).toContain('QUOKKAWAVE');
    expect(await terminal.panel.textContent()).toMatch(/ORA-12170/);
    expect(await terminal.block.locator('mark').count()).toBe(0);
    await page.screenshot({ path: '/tmp/ocr-panel.png' });

    // The file that is no image: read as "nothing", and listed under the sidebar with why.
    await broken.toggle.click();
    await expect.poll(() => broken.panel.textContent(), { timeout: 60_000 }).toBe('No text could be read from this image.');
    const failures = page.getByRole('button', { name: '1 image could not be read' });
    await failures.click();
    await expect.poll(() => failures.getAttribute('aria-expanded')).toBe('true');
    await expect
      .poll(() => page.getByRole('list', { name: 'Images that could not be read' }).textContent())
      .toMatch(/broken-screen\.png — \S/);
    // Done reading: the progress says nothing.
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Reading text in images' }).count()).toBe(0);
    await page.screenshot({ path: '/tmp/ocr-failures.png' });

    // Elsewhere, Ctrl+K finds the note by the word in the screenshot; it opens with the image found.
    await page.getByRole('link', { name: /All notes of WALLABY/ }).click();
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Search and jump' });
    await palette.getByRole('combobox', { name: 'Search notes and engagements' }).fill('quokkawav');
    const hit = palette.getByRole('option', { name: /Wave release outage/ });
    await hit.waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).hash).toMatch(/\/notes\/[0-9a-f-]{36}\?find=quokkawav$/);
    await expect.poll(() => terminal.block.getAttribute('class')).toContain('ocr-match');
    await expect.poll(() => terminal.toggle.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => terminal.panel.locator('mark').allTextContents()).toEqual(['QUOKKAWAVE']);
    expect(await terminal.block.getByText('Matches your search').isVisible()).toBe(true);
    // The one that did not match is left alone.
    expect(await broken.block.getAttribute('class')).not.toContain('ocr-match');
    expect(await broken.toggle.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => terminal.block.locator('img').evaluate((img) => img.getBoundingClientRect().top < innerHeight)).toBe(true);
    await page.screenshot({ path: '/tmp/ocr-found.png' });
    expect(await axeFindings(page)).toEqual([]);

    // The same address in a dark profile: the same highlight (looked at in /tmp/ocr-found-dark.png).
    const dark = await newPage({ colorScheme: 'dark' });
    await dark.goto(sameViewOn(host, page));
    await expect.poll(() => imageBlock(dark, 'dock-terminal.png').panel.locator('mark').allTextContents()).toEqual(['QUOKKAWAVE']);
    await dark.screenshot({ path: '/tmp/ocr-found-dark.png' });
    expect(await axeFindings(dark)).toEqual([]);

    // The panel's text is selectable with the mouse (not a drag of the image); the image itself is
    // still selected by a click and deleted with Delete.
    const lines = await terminal.panel.boundingBox();
    if (!lines) throw new Error('The text panel is not laid out');
    await page.mouse.move(lines.x + 12, lines.y + 14);
    await page.mouse.down();
    await page.mouse.move(lines.x + lines.width - 20, lines.y + lines.height - 14, { steps: 8 });
    await page.mouse.up();
    expect(await page.evaluate(() => getSelection()?.toString())).toContain('QUOKKAWAVE');
    await broken.block.locator('img').click();
    await expect.poll(() => broken.block.getAttribute('class')).toContain('ProseMirror-selectednode');
    await page.keyboard.press('Delete');
    await expect.poll(() => broken.block.count()).toBe(0);
    expect(await terminal.block.count()).toBe(1);

    // Opened without a search: no highlight, every panel closed.
    await page.getByRole('link', { name: /All notes of WALLABY/ }).click();
    await page
      .getByRole('list', { name: 'Notes of this engagement' })
      .getByRole('link', { name: /Wave release outage/ })
      .click();
    await terminal.block.waitFor();
    expect(await terminal.block.getAttribute('class')).not.toContain('ocr-match');
    expect(await terminal.toggle.getAttribute('aria-expanded')).toBe('false');
  }, 180_000);
});
