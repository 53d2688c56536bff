/**
 * Opening a note in Chromium against browser mode, timed from the hash change to the moment the
 * note's last paragraph is in the editable editor. One code path for `npm run bench`
 * (bench/notes.ts) and the quick measurement (bench/open-note.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { LONG_NOTE_MARKER } from './corpus';
import type { BenchHost } from './host';

const round = (n: number) => Math.round(n * 100) / 100;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export interface OpenNoteUiOptions {
  opens: number;
  /** Called with the page before each timed open and after it (e.g. to start and stop a profile). */
  around?: {
    before?(page: Page, run: number): Promise<void>;
    after?(page: Page, run: number): Promise<void>;
  };
}

export interface OpenNoteUiResult {
  blocks: number;
  opens: number;
  median_ms: number;
  first_ms: number;
  runs_ms: number[];
  app_load_ms: number;
  host_ready_ms: number;
  page_errors: number;
  first_page_error?: string;
}

/** Loads the app in a fresh browser context, then opens the note `opens` times from its engagement's list. */
export async function openNoteUi(
  host: BenchHost,
  browser: Browser,
  engagementId: string,
  noteId: string,
  options: OpenNoteUiOptions,
): Promise<OpenNoteUiResult> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  try {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const loadStart = performance.now();
    await page.goto(host.url);
    await page.getByRole('button', { name: 'New engagement' }).waitFor({ timeout: 60_000 });
    const appLoadMs = performance.now() - loadStart;
    const runs: number[] = [];
    for (let run = 0; run < options.opens; run++) {
      await options.around?.before?.(page, run);
      runs.push(await timeNoteOpen(page, engagementId, noteId));
      await options.around?.after?.(page, run);
    }
    const blocks = await page.locator('[role="textbox"][aria-label="Note body"] > *').count();
    return {
      blocks,
      opens: runs.length,
      median_ms: round(median(runs)),
      first_ms: runs[0] as number,
      runs_ms: runs,
      app_load_ms: Math.round(appLoadMs),
      host_ready_ms: Math.round(host.readyMs),
      page_errors: pageErrors.length,
      ...(pageErrors.length ? { first_page_error: pageErrors[0] } : {}),
    };
  } finally {
    await context.close();
  }
}

/**
 * One open: shows the engagement's notes list, then changes the hash to the note and polls every
 * animation frame until the editor's last or next-to-last block holds the marker text.
 */
export async function timeNoteOpen(page: Page, engagementId: string, noteId: string, marker = LONG_NOTE_MARKER): Promise<number> {
  await page.evaluate((hash) => {
    location.hash = hash;
  }, `#/engagements/${engagementId}/notes`);
  await page.locator('ul[aria-label="Notes of this engagement"] li').first().waitFor({ timeout: 60_000 });
  await page.evaluate((hash) => {
    (window as unknown as { benchStart: number }).benchStart = performance.mark('open-note:start').startTime;
    location.hash = hash;
  }, `#/engagements/${engagementId}/notes/${noteId}`);
  const handle = await page.waitForFunction(
    (text) => {
      const editor = document.querySelector('[role="textbox"][aria-label="Note body"]');
      const last = editor?.lastElementChild;
      const previous = last?.previousElementSibling;
      if (last?.textContent?.includes(text) || previous?.textContent?.includes(text)) {
        return performance.mark('open-note:shown').startTime - (window as unknown as { benchStart: number }).benchStart;
      }
      return false;
    },
    marker,
    { polling: 'raf', timeout: 120_000 },
  );
  return round((await handle.jsonValue()) as number);
}
