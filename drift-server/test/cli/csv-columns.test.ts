import { Readable } from 'node:stream';
import fc from 'fast-check';
import { parseCsv } from '../../src/cli/csv-columns';
import type { CsvTable } from '../../src/cli/csv-table';
import { PlainCsv, readPlainCsv } from '../../src/cli/plain-csv';

/** What a reader made of a file, cell by cell: text, number, line. */
function cellsOf(
  header: readonly string[],
  columns: CsvTable['columns'] | PlainCsv['columns'],
  lines: ArrayLike<number>
): unknown {
  const byName = columns instanceof Map ? header.map((name) => columns.get(name)!) : columns;
  return {
    header,
    lines: Array.from(lines),
    columns: byName.map((column) => ({
      texts: column.texts(),
      text: Array.from({ length: column.length }, (_, row) => column.text(row)),
      // Object.is keeps -0 apart from 0, as a number read from "-0" must be.
      numbers: Array.from({ length: column.length }, (_, row) => {
        const number = column.number(row);
        return typeof number === 'number' && Object.is(number, -0) ? '-0' : number;
      }),
    })),
  };
}

const HEADER_ERROR = /of the header has no name|appears twice in the header/;

const cell = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constantFrom(
      '1',
      '-3',
      '+7',
      '0',
      '-0',
      '007',
      '2.5',
      '-.5',
      '5.',
      '.',
      '-',
      '1e3',
      '1E-400',
      '1e400',
      '123456789012345678',
      '0.1234567890123456789012345'
    ),
  },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '',
      'NA',
      'null',
      'NULL',
      'NaN',
      'nan',
      'inf',
      '-Infinity',
      'ORD',
      'São Paulo',
      'Malmö',
      'a b'
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(' 1', '1 ', '\t2', '"3"', '"a,b"', 'x"y', '\u00a01', '1\u3000', '"', '""') }
);
const lineEnd = fc.oneof(
  { weight: 10, arbitrary: fc.constant('\n') },
  { weight: 1, arbitrary: fc.constantFrom('\r\n', '\n\n', '\r', '\n \n') }
);

/** CSV files mostly plain, with now and then what makes a file not plain: quotes, whitespace, CR, ragged rows, a BOM. */
const csvFile = fc
  .record({
    bom: fc.boolean(),
    header: fc.constantFrom(['x'], ['x', 'y'], ['a', 'b', 'c'], ['x', 'x'], ['x', '']),
    rows: fc.array(fc.tuple(fc.array(cell, { minLength: 1, maxLength: 4 }), lineEnd), { maxLength: 12 }),
    trailingNewline: fc.boolean(),
  })
  .map(({ bom, header, rows, trailingNewline }) => {
    const body = rows
      .map(
        ([cells, end], index) =>
          (index % 5 === 4
            ? cells
            : cells.slice(0, header.length).concat(Array(Math.max(0, header.length - cells.length)).fill(''))
          ).join(',') + end
      )
      .join('');
    const text = `${bom ? '\ufeff' : ''}${header.join(',')}\n${body}`;
    return Buffer.from(trailingNewline || text.endsWith('\n') === false ? text : text.slice(0, -1));
  });

describe('the plain CSV reader', () => {
  it('reads every file it takes cell for cell as csv-parse does, and takes none that csv-parse rejects', async () => {
    let taken = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(csvFile, async (bytes) => {
        runs += 1;
        const plain = readPlainCsv(bytes);
        const parsed = await parseCsv(Readable.from([bytes]), 'file.csv').catch((error: Error) => error);
        if (plain === null) return;
        taken += 1;
        if (parsed instanceof Error) {
          // Header names are checked after either reader, by the same function.
          expect(parsed.message).toMatch(HEADER_ERROR);
          return;
        }
        expect(cellsOf(plain.header, plain.columns, plain.lines)).toEqual(
          cellsOf([...parsed.columns.keys()], parsed.columns, parsed.lines)
        );
      }),
      { numRuns: 600, seed: 21 }
    );
    // The property says something only if the plain reader takes a good share of the files.
    expect(taken / runs).toBeGreaterThan(0.2);
  });

  it('counts skipped blank lines and a BOM as csv-parse does when it names a row’s line', async () => {
    const bytes = Buffer.from('\ufeffx,y\n\n1,2\n\n\n3,4\n5,6');
    const plain = readPlainCsv(bytes)!;
    const parsed = await parseCsv(Readable.from([bytes]), 'file.csv');
    expect(Array.from(plain.lines)).toEqual([3, 6, 7]);
    expect(Array.from(parsed.lines)).toEqual([3, 6, 7]);
  });

  it('leaves quoted fields, CRLF line ends, whitespace to trim and ragged rows to csv-parse', () => {
    for (const text of [
      'x\n"1"\n',
      'x\r\n1\r\n',
      'x\n 1\n',
      'x\n1\t\n',
      'x\n1\u00a0\n',
      'x,y\n1\n',
      'x,y\n1,2,3\n',
      '',
      '\n\n',
    ]) {
      expect([text, readPlainCsv(Buffer.from(text))]).toEqual([text, null]);
    }
  });

  it('reads decimals from the bytes as the very double Number() gives', () => {
    const texts = [
      '0.1',
      '-0.3',
      '2.675',
      '9007199254740.993',
      '123456789012345',
      '0.0000000000000000000001',
      '1.7976931348623157',
      '5e-324',
      '.5',
      '+1.',
    ];
    const plain = readPlainCsv(Buffer.from(`x\n${texts.join('\n')}\n`))!;
    expect(texts.map((_, row) => plain.columns[0].number(row))).toEqual(texts.map(Number));
  });
});
