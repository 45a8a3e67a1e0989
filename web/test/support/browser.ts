// Driving the app in Debian's Chromium: signing in as a demo user through
// the real OpenID provider, accessibility audits and screenshots kept as
// test artifacts (web/test-results/).
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { onTestFailed } from 'vitest';

export const ARTIFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM });
}

/** A fresh browser context signed in as a demo user (e.g. "gbg-coordinator"), on the assignments page. */
export async function signIn(
  browser: Browser,
  appUrl: string,
  username: string,
  municipality: string,
  context?: BrowserContext,
): Promise<Page> {
  context ??= await browser.newContext({ locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
  const page = await context.newPage();
  keepOnFailure(page, username);
  await page.goto(`${appUrl}/assignments`);
  await page.getByLabel('Kommun').selectOption(municipality);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByLabel('Användare').selectOption(username);
  await page.getByLabel('Lösenord').fill('demo');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(`${appUrl}/assignments`);
  await page.getByRole('heading', { level: 1, name: 'Uppdrag' }).waitFor();
  return page;
}

/** Serious and critical axe-core findings (WCAG 2.1 A and AA) on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(`${ARTIFACTS}screenshots`, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}screenshots/${name}.png`, fullPage: true });
}

/** When the running test fails, keeps what this page showed: a screenshot and its alerts' text. */
function keepOnFailure(page: Page, name: string): void {
  const keep = async ({ task }: { task: { name: string } }) => {
    if (page.isClosed()) return;
    const slug = `failed-${task.name.replace(/[^\p{L}\d]+/gu, '-').slice(0, 60)}-${name}`;
    await screenshot(page, slug).catch(() => {});
    const alerts = await page
      .getByRole('alert')
      .allInnerTexts()
      .catch(() => []);
    console.error(`${name} at ${page.url()} when the test failed; alerts: ${JSON.stringify(alerts)}`);
  };
  try {
    onTestFailed(keep);
  } catch {
    // Outside a test (npm run bench:web) there is no failure to keep.
  }
}
