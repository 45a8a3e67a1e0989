// A table of the overview's figures: one row header, then one cell per
// column. A withheld figure says so in words (never blank, never zero).
import { Table } from '@digdir/designsystemet-react';
import type { Figure } from '../domain/overview';

export interface FigureColumn {
  key: string;
  label: string;
}

export interface FigureTableRow {
  key: string;
  header: string;
  /** Each column's figure, its value already written out. */
  cells: Record<string, Figure<string>>;
}

export function FigureTable(props: {
  caption: string;
  rowHeader: string;
  columns: readonly FigureColumn[];
  rows: readonly FigureTableRow[];
  describe: (figure: Figure<string>) => string;
}) {
  const { caption, rowHeader, columns, rows, describe } = props;
  return (
    // Focusable: a wide table scrolls sideways, and keyboard users must reach it too.
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <Table data-size="sm" className="figure-table">
        <caption>{caption}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell scope="col">{rowHeader}</Table.HeaderCell>
            {columns.map((c) => (
              <Table.HeaderCell key={c.key} scope="col" className="number">
                {c.label}
              </Table.HeaderCell>
            ))}
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {rows.map((row) => (
            <Table.Row key={row.key}>
              <Table.HeaderCell scope="row">{row.header}</Table.HeaderCell>
              {columns.map((c) => {
                const figure = row.cells[c.key] ?? { kind: 'absent' };
                return (
                  <Table.Cell
                    key={c.key}
                    className="number"
                    data-column={c.key}
                    data-withheld={figure.kind === 'withheld' ? 'true' : undefined}
                  >
                    {describe(figure)}
                  </Table.Cell>
                );
              })}
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </div>
  );
}
