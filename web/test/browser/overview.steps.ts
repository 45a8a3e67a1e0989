// The network overview in Chromium, on the workflow's demo network: a third
// city sees the Stockholm–Göteborg pair's small cells withheld, a party sees
// them in full; the tables hold what the gateway answers; the CSV downloads
// with the person's token; printed, the page is the joint evaluation report.
// The figures are the pilot agreement's seeded demo data, which the earlier
// workflow tests leave as they are (their assignments fall in today's term).
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Browser, Locator, Page, Request } from 'playwright';
import { expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../../gateway/reports/evaluationCsv';
import { formatKronor } from '../../src/domain/format';
import type { NetworkOverviewQuery } from '../../src/gql/graphql';
import { sv } from '../../src/i18n/sv';
import { signIn } from '../support/browser';
import { CITIES, type WebNetwork } from '../support/webNetwork';

const PILOT = 'avhoppare-storstad-2023';
const STOCKHOLM_TO_GOTEBORG = 'Stockholm → Göteborg';
const SECTIONS = [
  'Balansen mot avtalets mål',
  'Uppdrag per riktning och status',
  'Uppdrag per period över tid',
  'Kostnader per period',
  'Kostnader per insats',
  'Avstämningar',
];
const DIRECTION_COLUMNS = [
  'everProposed',
  'proposed',
  'accepted',
  'active',
  'completed',
  'declined',
  'withdrawn',
  'terminated',
  'beyondAim',
] as const;

type Answer = NetworkOverviewQuery;
type Row = { suppressedFields: readonly string[] } & Record<string, unknown>;

export function overviewSteps(
  env: () => { web: WebNetwork; browser: Browser },
  audited: (page: Page, name: string) => Promise<void>,
) {
  it('the overview withholds a pair’s small figures from the third city, and its tables hold the gateway’s answer', async () => {
    const { web, browser } = env();
    await ensureRunning(web, '1280');
    const malmo = await signIn(browser, web.appUrl, 'mmo-coordinator', '1280');
    const answer = await openOverview(malmo, web.appUrl);
    const pair = answer.evaluationReport.directions.find(
      (d) => d.homeMunicipality === '0180' && d.receivingMunicipality === '1480',
    );
    // The seeded pair counts fewer people than the minimum cell: Malmö gets it withheld.
    expect(pair?.suppressedFields).toContain('everProposed');
    const directions = malmo.getByRole('table', { name: 'Uppdrag per riktning efter status i dag' });
    const row = directions.getByRole('row', { name: new RegExp(`^${STOCKHOLM_TO_GOTEBORG}`) });
    await expect.poll(() => row.locator('[data-column="everProposed"]').textContent()).toBe('Skyddat');
    expect(await row.locator('[data-withheld]').count()).toBeGreaterThan(0);
    await expect.poll(() => malmo.locator('main').innerText()).toContain('färre än 5 personer');
    await expectTablesToHold(malmo, answer);
    await audited(malmo, '18-overview-mmo');
    await malmo.context().close();
  });

  it('the overview shows a party its pair in full; the CSV downloads with the person’s sign-in', async () => {
    const { web, browser } = env();
    const stockholm = await signIn(browser, web.appUrl, 'sto-coordinator', '0180');
    const answer = await openOverview(stockholm, web.appUrl);
    const directions = stockholm.getByRole('table', { name: 'Uppdrag per riktning efter status i dag' });
    const row = directions.getByRole('row', { name: new RegExp(`^${STOCKHOLM_TO_GOTEBORG}`) });
    await expect.poll(() => row.locator('[data-column="everProposed"]').textContent()).toMatch(/^\d+$/);
    expect(await row.locator('[data-withheld]').count()).toBe(0);
    const ours = answer.evaluationReport.directions.filter((d) =>
      [d.homeMunicipality, d.receivingMunicipality].includes('0180'),
    );
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((d) => d.suppressedFields.length === 0)).toBe(true);
    await expectTablesToHold(stockholm, answer);
    await audited(stockholm, '19-overview-sto');

    // By keyboard: from the agreement picker to the download button.
    await stockholm.getByLabel('Avtal', { exact: true }).focus();
    await stockholm.keyboard.press('Tab');
    const button = stockholm.getByRole('button', { name: 'Ladda ner som CSV' });
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);
    const [download] = await Promise.all([
      stockholm.waitForEvent('download').catch(async (e: unknown) => {
        console.log(await stockholm.locator('main').innerText());
        throw e;
      }),
      stockholm.keyboard.press('Enter'),
    ]);
    expect(download.suggestedFilename()).toBe(`evaluation-${PILOT}.csv`);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(csv).toContain(`${PILOT},direction,0180,1480,`);
    await stockholm.context().close();
  });

  it('the overview prints as the joint evaluation report: every section, no navigation or buttons', async () => {
    const { web, browser } = env();
    const stockholm = await signIn(browser, web.appUrl, 'sto-finance', '0180');
    await openOverview(stockholm, web.appUrl);
    await stockholm.emulateMedia({ media: 'print' });
    await audited(stockholm, '20-overview-print-sto');
    const text = await pdfText(await stockholm.pdf({ format: 'A4', printBackground: true }));
    const compact = (s: string) => s.replace(/\s+/g, '');
    expect(compact(text)).toContain(
      compact('Gemensam utvärderingsrapport: Avtal om samverkan för insatser till avhoppare'),
    );
    for (const heading of SECTIONS) expect(compact(text)).toContain(compact(heading));
    // The widest table's last column fits the page.
    expect(compact(text)).toContain('Genomsnittlig');
    expect(compact(text)).not.toContain(compact('Ladda ner som CSV'));
    expect(compact(text)).not.toContain(compact('Föreslå nytt uppdrag'));

    // In English too: withheld cells say so in the reader's language.
    await stockholm.emulateMedia({ media: 'screen' });
    await stockholm.getByLabel('Språk').selectOption('en');
    await stockholm.getByRole('heading', { level: 1, name: 'The network' }).waitFor();
    const balance = stockholm.getByRole('table', { name: /^Assignments sent and received per municipality/ });
    await expect.poll(() => balance.locator('[data-withheld]').first().textContent()).toBe('Withheld');
    await audited(stockholm, '21-overview-en-sto');
    await stockholm.context().close();
  });
}

/** Malmö may have been stopped by an earlier test of the file. */
async function ensureRunning(web: WebNetwork, code: string) {
  const city = web.network.cities.get(code)!;
  if (city.child.exitCode !== null || city.child.signalCode !== null) await web.network.startCity(code);
}

/**
 * Opens the overview on the pilot agreement and returns the gateway's answer
 * to the page's query, asked again directly with the person's own token.
 * Cities that have just started may not answer in time at first (the page
 * then names them): the page is opened again until every city answered.
 */
async function openOverview(page: Page, appUrl: string): Promise<Answer> {
  let request: Request | undefined;
  await expect
    .poll(
      async () => {
        await page.getByRole('navigation').getByRole('link', { name: 'Uppdrag', exact: true }).click();
        await page.getByRole('navigation').getByRole('link', { name: 'Nätverket' }).click();
        await page.getByRole('heading', { level: 1, name: 'Nätverket' }).waitFor();
        const asked = page.waitForRequest(
          (r) =>
            r.url().endsWith('/graphql') && /"agreement":"avhoppare-storstad-2023"/.test(r.postData() ?? ''),
        );
        await page.getByLabel('Avtal', { exact: true }).selectOption(PILOT);
        request = await asked;
        await page.getByRole('heading', { level: 2, name: SECTIONS.at(-1) }).waitFor({ timeout: 10_000 });
        return page.getByRole('alert').filter({ hasText: 'Svar saknas från' }).count();
      },
      { timeout: 60_000 },
    )
    .toBe(0);
  const response = await fetch(`${appUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: request!.headers().authorization! },
    body: request!.postData(),
  });
  const body = (await response.json()) as { data?: Answer; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data!;
}

const nameOf = (code: string) => CITIES.find((c) => c.code === code)?.name ?? code;
const direction = (r: { homeMunicipality: string; receivingMunicipality: string }) =>
  `${nameOf(r.homeMunicipality)} → ${nameOf(r.receivingMunicipality)}`;

/** A figure as the page must write it: withheld in words, absent as a dash. */
function written(row: Row, field: string, format: (value: never) => string = String): string {
  if (row.suppressedFields.includes(field)) return 'Skyddat';
  const value = row[field];
  return value === null || value === undefined ? '–' : format(value as never);
}

const kronor = (money: { amount: string }) => formatKronor(money.amount);
const quota = (q: { kind: 'AIM' | 'LIMIT'; max: number }) => `${q.kind === 'AIM' ? 'mål' : 'tak'} ${q.max}`;

/** Every table of the page, row by row, against the gateway's answer. */
async function expectTablesToHold(page: Page, answer: Answer) {
  const report = answer.evaluationReport;
  const costs = (r: Row) => [
    written(r, 'assignments'),
    written(r, 'gross', kronor),
    written(r, 'reimbursed', kronor),
    written(r, 'net', kronor),
  ];
  const expected: Record<string, Record<string, string[]>> = {
    'Skickade och mottagna uppdrag per kommun mot avtalets mål eller tak': Object.fromEntries(
      answer.networkBalance.map((b) => [
        `${nameOf(b.municipality)} (${b.municipality})`,
        [
          written(b, 'sent'),
          written(b, 'sendingQuota', quota),
          written(b, 'received'),
          written(b, 'receivingQuota', quota),
          written(b, 'beyondAim'),
          written(b, 'overdueAnswers'),
        ],
      ]),
    ),
    'Uppdrag per riktning efter status i dag': Object.fromEntries(
      report.directions.map((d) => [
        direction(d),
        [
          ...DIRECTION_COLUMNS.map((c) => written(d, c)),
          written(d, 'averageDurationDays', (v: string) => v.replace('.', ',')),
        ],
      ]),
    ),
    'Uppdrag per riktning och period efter status i dag': Object.fromEntries(
      report.directionsByPeriod.map((d) => [
        `${direction(d)}, period ${d.period}`,
        DIRECTION_COLUMNS.filter((c) => c !== 'everProposed' && c !== 'beyondAim').map((c) => written(d, c)),
      ]),
    ),
    'Kostnader per riktning och period': Object.fromEntries(
      report.costsByPeriod.map((c) => [`${direction(c)}, period ${c.period}`, costs(c)]),
    ),
    'Kostnader per riktning och insatskategori': Object.fromEntries(
      report.costsByCategory.map((c) => [`${direction(c)}: ${sv.category[c.category]}`, costs(c)]),
    ),
  };
  // Polled: the page may still show the agreement chosen before.
  for (const [caption, rows] of Object.entries(expected))
    await expect
      .poll(() => tableRows(page.getByRole('table', { name: caption })), { message: caption })
      .toEqual(rows);
}

/** A table's body as row header → cell texts. */
function tableRows(table: Locator): Promise<Record<string, string[]>> {
  return table.evaluate((el) =>
    Object.fromEntries(
      [...el.querySelectorAll('tbody tr')].map((tr) => [
        tr.querySelector('th')?.textContent?.trim() ?? '',
        [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''),
      ]),
    ),
  );
}

async function pdfText(pdf: Buffer): Promise<string> {
  const document = await getDocument({ data: new Uint8Array(pdf) }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const content = await (await document.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
  }
  await document.destroy();
  return pages.join('\n');
}
