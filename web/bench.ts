// npm run bench:web: the web app's budgets, measured and printed (not a
// timed test). Initial JavaScript: every script the page loads before its
// first render, gzipped. First rows: on the demo network in Chromium, the
// time from navigation to the first assignment row on the page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebAppBuilt, WEB_APP_DIR } from '../scripts/demo/webApp';
import { launchBrowser, signIn } from './test/support/browser';
import { startWebNetwork } from './test/support/webNetwork';

const BUDGET_JS_KB = 200;
const BUDGET_FIRST_ROWS_MS = 1000;
const RUNS = 5;

ensureWebAppBuilt();
const initialKb = initialJavaScriptGzipKb();
console.log(`Initial JavaScript: ${initialKb.toFixed(1)} KB gzip (budget ${BUDGET_JS_KB} KB)`);

console.log('Starting the demo network…');
const web = await startWebNetwork();
const browser = await launchBrowser();
try {
  const context = await browser.newContext();
  // Records when the first row of the assignments table appears, in the page's own clock.
  await context.addInitScript(() => {
    const w = window as unknown as { firstRowAt?: number };
    new MutationObserver((_, observer) => {
      if (document.querySelector('main table tbody tr')) {
        w.firstRowAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await signIn(browser, web.appUrl, 'sto-caseworker', '0180', context);
  // After signing in: the provider's redirect to /callback is a navigation; the list follows it.
  await page.locator('main table tbody tr').first().waitFor();
  const afterSignIn = await page.evaluate(
    () => (window as unknown as { firstRowAt?: number }).firstRowAt ?? NaN,
  );
  const inApp: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await page.getByRole('link', { name: 'Föreslå nytt uppdrag' }).click();
    await page.getByRole('heading', { level: 1, name: 'Föreslå uppdrag' }).waitFor();
    const start = await page.evaluate(() => performance.now());
    await page.getByRole('navigation').getByRole('link', { name: 'Uppdrag', exact: true }).click();
    await page.locator('main table tbody tr').first().waitFor();
    inApp.push((await page.evaluate(() => performance.now())) - start);
  }
  const median = inApp.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  console.log(
    `First rows after signing in: ${afterSignIn.toFixed(0)} ms from the navigation back to the app (budget ${BUDGET_FIRST_ROWS_MS} ms)`,
  );
  console.log(`First rows on opening the list in the app: ${median.toFixed(0)} ms (median of ${RUNS})`);
} finally {
  await browser.close();
  await web.stop();
}

/** The entry script and every module it preloads, as index.html names them. */
function initialJavaScriptGzipKb(): number {
  const html = readFileSync(join(WEB_APP_DIR, 'index.html'), 'utf8');
  const scripts = [
    ...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  const bytes = scripts.reduce((sum, src) => sum + gzipSync(readFileSync(join(WEB_APP_DIR, src))).length, 0);
  return bytes / 1024;
}
