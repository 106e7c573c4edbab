import { pacedBody, PIECE_BYTES, piecesOf } from '../../src/api/paced-body';

describe('answers written a piece per turn of the event loop', () => {
  it('cuts bytes into views of at most PIECE_BYTES that join to the same bytes', () => {
    const bytes = new Uint8Array(2 * PIECE_BYTES + 123).map((_, index) => index % 251);
    const pieces = piecesOf(bytes);
    expect(pieces.map((piece) => piece.byteLength)).toEqual([PIECE_BYTES, PIECE_BYTES, 123]);
    expect(pieces.every((piece) => piece.buffer === bytes.buffer)).toBe(true);
    expect(Buffer.concat(pieces).equals(Buffer.from(bytes))).toBe(true);
    expect(piecesOf(new Uint8Array(0))).toEqual([]);
  });

  /** Reads every piece, recording where a request waiting since the first piece was answered. */
  async function readAround(slicer: { pause(): Promise<void> }): Promise<string[]> {
    const reader = pacedBody(
      [1, 2, 3].map((value) => new Uint8Array([value])),
      slicer
    ).getReader();
    const order: string[] = [];
    order.push(`piece ${(await reader.read()).value?.[0]}`);
    setImmediate(() => order.push('waiting request'));
    for (let result = await reader.read(); !result.done; result = await reader.read())
      order.push(`piece ${result.value[0]}`);
    await new Promise((resolve) => setImmediate(resolve));
    return order;
  }

  it('hands the event loop back between pieces once the time slice is used, so a waiting request is answered before the next piece', async () => {
    const sliceUsed = { pause: () => new Promise<void>((resolve) => setImmediate(resolve)) };
    expect(await readAround(sliceUsed)).toEqual(['piece 1', 'waiting request', 'piece 2', 'piece 3']);
  });

  it('hands pieces over back to back within a time slice', async () => {
    const sliceLeft = { pause: () => Promise.resolve() };
    expect(await readAround(sliceLeft)).toEqual(['piece 1', 'piece 2', 'piece 3', 'waiting request']);
  });
});
