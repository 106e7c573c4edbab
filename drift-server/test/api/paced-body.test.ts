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

  it('hands the event loop back between pieces, so a request waiting meanwhile is answered before the next one', async () => {
    const pieces = [1, 2, 3].map((value) => new Uint8Array([value]));
    const reader = pacedBody(pieces).getReader();
    const order: string[] = [];
    order.push(`piece ${(await reader.read()).value?.[0]}`);
    setImmediate(() => order.push('waiting request'));
    order.push(`piece ${(await reader.read()).value?.[0]}`);
    order.push(`piece ${(await reader.read()).value?.[0]}`);
    expect(await reader.read()).toEqual({ done: true, value: undefined });
    expect(order).toEqual(['piece 1', 'waiting request', 'piece 2', 'piece 3']);
  });
});
