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
const pageStatus = (page: Page) => page.getByRole('status').filter({ hasText: /poster?\.|Inga poster/ });

export function auditSteps(
  env: () => { web: WebNetwork; browser: Browser },
  audited: (page: Page, name: string) => Promise<void>,
) {
  it('an auditor reads their own city’s log, pages through it and follows one request by its trace id', async () => {
    const { web, browser } = env();
    const page = await signIn(browser, web.appUrl, 'sto-auditor', '0180');
    await page.getByRole('navigation').getByRole('link', { name: 'Logg', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Logg' }).waitFor();

    // The chains hold; the checkpoints the other cities hold are listed.
    const chains = page.getByTestId('chain-status');
    await expect.poll(() => chains.count()).toBe(2);
    expect(await chains.evaluateAll((dds) => dds.map((dd) => dd.getAttribute('data-ok')))).toEqual([
      'true',
      'true',
    ]);
    await expect.poll(() => chains.first().innerText()).toContain('Hel');
    await page.getByRole('table', { name: /Kontrollpunkter/ }).waitFor();

    // The first page: Stockholm's disclosures to the other cities, oldest first.
    await expect.poll(() => pageStatus(page).innerText()).toBe('20 poster.');
    const first = await sequences(page);
    expect(first).toEqual([...first].sort((a, b) => a - b));
    const whoColumn = await rows(page).locator('td:nth-child(2)').allInnerTexts();
    expect(whoColumn.every((who) => /Göteborg \(1480\)|Malmö \(1280\)/.test(who))).toBe(true);
    await audited(page, '18-audit-log-sto');

    // Forward and back by sequence.
    await page.getByRole('button', { name: 'Nästa' }).click();
    await expect.poll(async () => (await sequences(page))[0]).toBeGreaterThan(first.at(-1)!);
    await expect.poll(() => page.getByText('Sida 2').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Föregående' }).click();
    await expect.poll(() => sequences(page)).toEqual(first);

    // One request: its trace id in the filter, then only its entries.
    const traces = await traceIds(page);
    const trace = traces.find((id, i) => traces.indexOf(id) !== i) ?? traces[0]!;
    await page.getByLabel('Spårnings-id', { exact: true }).fill(trace);
    await page.getByRole('button', { name: 'Filtrera' }).click();
    await page.waitForURL((url) => url.searchParams.get('trace') === trace);
    await expect.poll(async () => (await traceIds(page)).every((id) => id === trace)).toBe(true);
    const found = await traceIds(page);
    // Every entry of the request: those on the first page, and any that followed it.
    expect(found.length).toBeGreaterThanOrEqual(traces.filter((id) => id === trace).length);
    await audited(page, '19-audit-trace-sto');

    // A link to the trace works as well, and the access log answers under the same filter.
    await page.goto(`${web.appUrl}/audit?trace=${trace}`);
    await page.getByRole('heading', { level: 1, name: 'Logg' }).waitFor();
    await expect.poll(() => traceIds(page)).toEqual(found);
    await page.getByRole('button', { name: 'Åtkomst till ärenden' }).click();
    await page.getByRole('table', { name: 'Åtkomst till ärenden, äldst först' }).waitFor();
    await expect.poll(() => pageStatus(page).innerText()).toBe('Inga poster med de här filtren.');
    await page.context().close();
  });
}
