import { JsonArraySplitter } from '../../src/store/ingest/parse/json-array';

function split(text: string, chunkSize: number, maxRowBytes = 1024 ** 2): string[] {
  const splitter = new JsonArraySplitter({ maxRowBytes });
  const bytes = Buffer.from(text);
  const objects: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    objects.push(...splitter.push(bytes.subarray(offset, offset + chunkSize)).map((object) => object.toString()));
  }
  splitter.finish();
  return objects;
}

describe('JsonArraySplitter', () => {
  const rows = [
    { a: 1, b: 'x}y' },
    { nested: { c: [1, { d: '"]' }] } },
    { escaped: 'quote \\" and backslash \\\\' },
    {},
  ];
  const text = ` [\n${rows.map((row) => JSON.stringify(row)).join(' ,\n ')}\n] \n`;

  it.each([1, 2, 3, 7, 64, 100_000])('yields each object whole whatever the chunk size (%i)', (chunkSize) => {
    expect(split(text, chunkSize).map((object) => JSON.parse(object))).toEqual(rows);
  });

  it('accepts an empty array', () => {
    expect(split('[ ]', 1)).toEqual([]);
  });

  it.each([
    ['an object instead of an array', '{"a": 1}', /must be an array of row objects/],
    ['a number as a row', '[{"a":1}, 2]', /row 2 of the JSON array is not an object/],
    ['a trailing comma', '[{"a":1},]', /row 2 of the JSON array is not an object/],
    ['a missing comma', '[{"a":1} {"a":2}]', /row 2 of the JSON array is not an object/],
    ['content after the array', '[{"a":1}] x', /after the closing \]/],
    ['an unclosed array', '[{"a":1}', /not closed/],
    ['an unclosed object', '[{"a":1', /not closed/],
  ])('refuses %s', (_case, body, message) => {
    expect(() => split(body, 3)).toThrow(message);
  });
});
