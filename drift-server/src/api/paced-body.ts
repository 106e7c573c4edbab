import { yieldToEventLoop } from '../store';

/** The most bytes of an answer written to the socket in one turn of the event loop. */
export const PIECE_BYTES = 65_536;

/** `bytes` as views of at most PIECE_BYTES each, without copying. */
export function piecesOf(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>[] {
  const pieces: Uint8Array<ArrayBuffer>[] = [];
  for (let offset = 0; offset < bytes.byteLength; offset += PIECE_BYTES)
    pieces.push(bytes.subarray(offset, offset + PIECE_BYTES));
  return pieces;
}

/**
 * A response body written one piece per turn of the event loop. Handed over whole, a 14 MB trend
 * answer went to the kernel in single writes of up to 40 ms on loopback (CPU profile of
 * bench:load), and every other request, /healthz included, waited behind each of them.
 */
export function pacedBody(pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (next > 0) await yieldToEventLoop();
        if (next < pieces.length) controller.enqueue(pieces[next++]);
        else controller.close();
      },
    },
    { highWaterMark: 0 }
  );
}
