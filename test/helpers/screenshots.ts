import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium';

/** Lines of a legacy-terminal error screen: known words to read back from its screenshot. */
export const ERROR_SCREEN = [
  'WMS WAVE RELEASE - ERROR',
  'ORA-12170: TNS:Connect timeout occurred',
  'java.sql.SQLRecoverableException: IO Error: The Network Adapter could not establish the connection',
  'at oracle.jdbc.driver.T4CConnection.logon(T4CConnection.java:801)',
  'at com.acme.wms.WaveRelease.run(WaveRelease.java:212)',
  'Operator QUOKKAWAVE pressed F3 to retry at dock 7',
];

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * A PNG screenshot of known text, rendered by Chromium (as a screen would show it): a full-HD
 * "error dialog" by default. One browser is reused across calls; close it with `closeScreens`.
 */
let browser: Promise<Browser> | null = null;

export async function screenshotOf(
  lines: string[],
  options: { width?: number; height?: number; theme?: 'light' | 'terminal' } = {},
): Promise<Uint8Array> {
  browser ??= launchChromium();
  const page = await (await browser).newPage({ viewport: { width: options.width ?? 1920, height: options.height ?? 1080 } });
  try {
    const [bg, fg] = options.theme === 'terminal' ? ['#000080', '#ffffff'] : ['#ffffff', '#1a1a1a'];
    await page.setContent(
      `<body style="margin:0;padding:48px;background:${bg};color:${fg};font:20px 'DejaVu Sans Mono',monospace;line-height:1.6">` +
        lines.map((line) => `<div>${escapeHtml(line)}</div>`).join('') +
        '</body>',
    );
    return new Uint8Array(await page.screenshot({ type: 'png' }));
  } finally {
    await page.close();
  }
}

export async function closeScreens(): Promise<void> {
  const open = browser;
  browser = null;
  await (await open)?.close();
}

/** The share of the words of `expected` that appear, exactly (case and punctuation kept), in `read`. */
export function wordAccuracy(expected: string[], read: string): number {
  const want = expected.join(' ').split(/\s+/).filter(Boolean);
  const got = new Set(read.split(/\s+/).filter(Boolean));
  return want.filter((word) => got.has(word)).length / want.length;
}
