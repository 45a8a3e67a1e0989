// The auditor's log page, on the network the workflow tests have used: a
// Stockholm auditor signed in at the demo provider reads Stockholm's own
// logs through the gateway's own-city route, pages through the disclosure
// log, follows one request by its trace id (also by a link), and sees that
// the chains hold. Registered inside the workflow's describe block, after
// its other tests, whose cross-city requests fill the log.
import type { Browser, Page } from 'playwright';
import { expect, it } from 'vitest';
import { signIn } from '../support/browser';
import type { WebNetwork } from '../support/webNetwork';

const rows = (page: Page) => page.locator('table:has(caption:text-is("Utlämnanden, äldst först")) tbody tr');
const sequences = (page: Page) =>
  rows(page).evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-sequence'))));
const traceIds = (page: Page) =>
  rows(page).evaluateAll((trs) => trs.map((tr) => tr.querySelector('.trace-id code')?.textContent ?? ''));
/** The city answers through the gateway; on a busy machine that takes a moment. */
const SLOW = { timeout: 15_000 };
const pageStatus = (page: Page) => page.getByRole('status').filter({ hasText: /poster?\.|Inga poster/ });

export function auditSteps(
  env: () => { web: WebNetwork; browser: Browser },
  audited: (page: Page, name: string) => Promise<void>,
) {
  it('an auditor reads their own city’s log, pages through it and follows one request by its trace id', async () => {
    const { web, browser } = env();
    const page = await signIn(browser, web.appUrl, 'sto-auditor', '0180');
    await page.getByRole('navigation').getByRole('link', { name: 'Logg', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Logg', exact: true }).waitFor();

    // The chains hold; the checkpoints the other cities hold are listed.
    const chains = page.getByTestId('chain-status');
    await expect.poll(() => chains.count(), SLOW).toBe(2);
    expect(await chains.evaluateAll((dds) => dds.map((dd) => dd.getAttribute('data-ok')))).toEqual([
      'true',
      'true',
    ]);
    await expect.poll(() => chains.first().innerText()).toContain('Hel');
    await page.getByRole('table', { name: /Kontrollpunkter/ }).waitFor();

    // The first page: Stockholm's disclosures to the other cities, oldest first.
    await expect.poll(() => pageStatus(page).innerText(), SLOW).toBe('20 poster.');
    const first = await sequences(page);
    expect(first).toEqual([...first].sort((a, b) => a - b));
    const whoColumn = await rows(page).locator('td:nth-child(2)').allInnerTexts();
    expect(whoColumn.every((who) => /Göteborg \(1480\)|Malmö \(1280\)/.test(who))).toBe(true);
    await audited(page, '22-audit-log-sto');

    // Forward and back by sequence.
    await page.getByRole('button', { name: 'Nästa' }).click();
    await expect.poll(async () => (await sequences(page))[0], SLOW).toBeGreaterThan(first.at(-1)!);
    await expect.poll(() => page.getByText('Sida 2').isVisible(), SLOW).toBe(true);
    await page.getByRole('button', { name: 'Föregående' }).click();
    await expect.poll(() => sequences(page), SLOW).toEqual(first);

    // One request: its trace id in the filter, then only its entries.
    const traces = await traceIds(page);
    const trace = traces.find((id, i) => traces.indexOf(id) !== i) ?? traces[0]!;
    await page.getByLabel('Spårnings-id', { exact: true }).fill(trace);
    await page.getByRole('button', { name: 'Filtrera' }).click();
    await page.waitForURL((url) => url.searchParams.get('trace') === trace);
    const onlyTrace = async () => {
      const ids = await traceIds(page);
      return ids.length > 0 && ids.every((id) => id === trace);
    };
    await expect.poll(onlyTrace, SLOW).toBe(true);
    const found = await traceIds(page);
    // Every entry of the request: those on the first page, and any that followed it.
    expect(found.length).toBeGreaterThanOrEqual(traces.filter((id) => id === trace).length);
    await audited(page, '23-audit-trace-sto');

    // A link to the trace works as well: tokens live in memory only, so a fresh page signs in
    // again and comes back to the link.
    const link = `${web.appUrl}/audit?trace=${trace}`;
    await page.goto(link);
    await page.getByLabel('Kommun').selectOption('0180');
    await page.getByRole('button', { name: 'Logga in' }).click();
    const login = page.getByLabel('Användare');
    await expect.poll(async () => page.url() === link || (await login.isVisible()), SLOW).toBe(true);
    if (page.url() !== link) {
      await login.selectOption('sto-auditor');
      await page.getByLabel('Lösenord').fill('demo');
      await page.getByRole('button', { name: 'Logga in' }).click();
    }
    await page.waitForURL(link);
    await page.getByRole('heading', { level: 1, name: 'Logg', exact: true }).waitFor();
    await expect.poll(() => traceIds(page), SLOW).toEqual(found);
    // The access log answers under the same filter: a request through the gateway read no case record.
    await page.getByRole('button', { name: 'Åtkomst till ärenden' }).click();
    await page.getByRole('table', { name: 'Åtkomst till ärenden, äldst först' }).waitFor();
    await expect.poll(() => pageStatus(page).innerText(), SLOW).toBe('Inga poster med de här filtren.');
    await page.context().close();
  });
}
