import { describe, expect, it } from 'vitest';
import {
  amountOf,
  byDirection,
  chartRows,
  describeFigure,
  figureOf,
  mapFigure,
  type Figure,
} from '../../src/domain/overview';

const words = { withheld: 'Skyddat', absent: '–' };
const describeAny = (figure: Figure<number> | Figure<string>) =>
  describeFigure<number | string>(figure, (v) => (typeof v === 'number' ? String(v) : `${v} kr`), words);

describe('the overview’s figures', () => {
  const thirdCity = {
    homeMunicipality: '0180',
    receivingMunicipality: '1480',
    proposed: null,
    active: 7,
    averageDurationDays: null,
    net: null,
    gross: { amount: '12500.00' },
    suppressedFields: ['proposed', 'net'],
  };

  it('tells a withheld figure from a zero and from one there is nothing to count', () => {
    expect(figureOf(thirdCity, 'proposed')).toEqual({ kind: 'withheld' });
    expect(figureOf(thirdCity, 'active')).toEqual({ kind: 'shown', value: 7 });
    expect(figureOf(thirdCity, 'averageDurationDays')).toEqual({ kind: 'absent' });
    expect(figureOf({ sent: 0, suppressedFields: [] }, 'sent')).toEqual({ kind: 'shown', value: 0 });
  });

  it('keeps amounts as the decimal strings the API sent', () => {
    expect(amountOf(thirdCity, 'gross')).toEqual({ kind: 'shown', value: '12500.00' });
    expect(amountOf(thirdCity, 'net')).toEqual({ kind: 'withheld' });
    expect(mapFigure(amountOf(thirdCity, 'gross'), (a) => a.replace('.', ','))).toEqual({
      kind: 'shown',
      value: '12500,00',
    });
    expect(mapFigure(amountOf(thirdCity, 'net'), (a) => a)).toEqual({ kind: 'withheld' });
  });

  it('says withheld in words, never as zero or blank', () => {
    expect(describeAny({ kind: 'withheld' })).toBe('Skyddat');
    expect(describeAny({ kind: 'absent' })).toBe('–');
    expect(describeAny({ kind: 'shown', value: 0 })).toBe('0');
  });

  it('orders rows by home, then receiving municipality, then what the caller says', () => {
    const rows = [
      { homeMunicipality: '1480', receivingMunicipality: '0180', period: 1 },
      { homeMunicipality: '0180', receivingMunicipality: '1480', period: 2 },
      { homeMunicipality: '0180', receivingMunicipality: '1280', period: 1 },
      { homeMunicipality: '0180', receivingMunicipality: '1480', period: 1 },
    ];
    expect(byDirection(rows, (a, b) => a.period - b.period)).toEqual([
      { homeMunicipality: '0180', receivingMunicipality: '1280', period: 1 },
      { homeMunicipality: '0180', receivingMunicipality: '1480', period: 1 },
      { homeMunicipality: '0180', receivingMunicipality: '1480', period: 2 },
      { homeMunicipality: '1480', receivingMunicipality: '0180', period: 1 },
    ]);
  });
});

describe('chart rows', () => {
  const series = [
    { key: 'sent', name: 'Skickade' },
    { key: 'net', name: 'Netto' },
  ];

  it('labels each bar with its figure; a withheld bar has no length and says so', () => {
    const rows = chartRows(
      [
        {
          label: 'Stockholm',
          figures: { sent: { kind: 'shown', value: 3 }, net: { kind: 'shown', value: '1234.50' } },
        },
        { label: 'Malmö', figures: { sent: { kind: 'withheld' }, net: { kind: 'shown', value: '0.00' } } },
      ],
      series,
      describeAny,
    );
    expect(rows).toEqual([
      { label: 'Stockholm', sent: 3, sentLabel: '3', net: 123450, netLabel: '1234.50 kr' },
      { label: 'Malmö', sent: 0, sentLabel: 'Skyddat', net: 0, netLabel: '0.00 kr' },
    ]);
  });

  it('says a row withheld in full once, and a partly withheld row bar by bar', () => {
    const withheld = { kind: 'withheld' } as const;
    const rows = chartRows(
      [
        { label: 'Göteborg → Malmö', figures: { sent: withheld, net: withheld } },
        { label: 'Malmö → Göteborg', figures: { sent: { kind: 'shown', value: 0 }, net: withheld } },
      ],
      series,
      describeAny,
    );
    expect(rows.map((r) => [r.sentLabel, r.netLabel])).toEqual([
      ['Skyddat', ''],
      ['0', 'Skyddat'],
    ]);
  });

  it('measures amounts in whole öre, exactly, and a series a row lacks as absent', () => {
    const rows = chartRows(
      [{ label: 'Göteborg', figures: { net: { kind: 'shown', value: '-12345678901.23' } } }],
      series,
      describeAny,
    );
    expect(rows[0]).toEqual({
      label: 'Göteborg',
      sent: 0,
      sentLabel: '–',
      net: 1234567890123,
      netLabel: '-12345678901.23 kr',
    });
  });
});
