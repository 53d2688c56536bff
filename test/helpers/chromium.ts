import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, as the tests and benchmarks drive it. Without the background-networking
 * flags it tries to reach the internet, which this machine refuses.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
