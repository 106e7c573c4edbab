import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvScan } from '../../src/store/ingest/parse/csv-scan';

/** Runs `text` through a scan in chunks cut at every position in `cuts`; returns whether it found the endings uniform and the bytes it passed on. */
async function scan(text: string, cuts: number[] = []): Promise<{ uniform: boolean; passed: string }> {
  const bytes = Buffer.from(text);
  const bounds = [0, ...cuts, bytes.length];
  const chunks = bounds.slice(1).map((end, index) => bytes.subarray(bounds[index], end));
  const scanner = new CsvScan({ maxRowBytes: 1024 });
  const received: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    scanner,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk);
        callback();
      },
    })
  );
  return { uniform: scanner.uniform, passed: Buffer.concat(received).toString() };
}

describe('CsvScan: line endings', () => {
  it.each([
    { name: 'LF only', text: 'a,b\n1,2\n3,4\n', uniform: true },
    { name: 'CRLF only', text: 'a,b\r\n1,2\r\n3,4\r\n', uniform: true },
    { name: 'CRLF without a final line ending', text: 'a,b\r\n1,2', uniform: true },
    { name: 'no line ending at all', text: 'a,b', uniform: true },
    { name: 'LF and CRLF mixed', text: 'a,b\n1,2\r\n3,4\n', uniform: false },
    { name: 'CRLF then a lone LF at the end', text: 'a,b\r\n1,2\r\n3,4\n', uniform: false },
    { name: 'a lone CR between lines', text: 'a,b\n1,2\r3,4\n', uniform: false },
    { name: 'a lone CR at the end', text: 'a,b\r\n1,2\r', uniform: false },
  ])('$name: uniform $uniform, passing every byte on', async ({ text, uniform }) => {
    expect(await scan(text)).toEqual({ uniform, passed: text });
  });

  it('gives the same answer wherever the chunks are cut, also between a CR and its LF', async () => {
    const texts = ['a,b\r\n1,2\r\n3,4\r\n', 'a,b\n1,2\r\n3,4\n', 'a,b\r\n1,2\r3,4\r\n', 'x\r\r\ny\r\n'];
    for (const text of texts) {
      const whole = await scan(text);
      for (let cut = 1; cut < text.length; cut += 1) {
        expect(await scan(text, [cut])).toEqual(whole);
        expect(await scan(text, [cut, Math.min(text.length, cut + 1)])).toEqual(whole);
      }
    }
    expect((await scan(texts[0], [4])).uniform).toBe(true);
    expect((await scan(texts[1], [8])).uniform).toBe(false);
  });
});
