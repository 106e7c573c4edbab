import { TimeSlicer } from '../store';

/** The most bytes of an answer handed to the socket at once. */
export const PIECE_BYTES = 65_536;

/** `bytes` as views of at most PIECE_BYTES each, without copying. */
export function piecesOf(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>[] {
  const pieces: Uint8Array<ArrayBuffer>[] = [];
  for (let offset = 0; offset < bytes.byteLength; offset += PIECE_BYTES)
    pieces.push(bytes.subarray(offset, offset + PIECE_BYTES));
  return pieces;
}

/**
 * A response body handed to the socket a piece at a time, the event loop handed back whenever a
 * time slice is used up. Handed over whole, a 14 MB trend answer went to the kernel in single
 * writes of up to 40 ms on loopback (CPU profile of bench:load), and every other request,
 * /healthz included, waited behind each of them; a turn after every piece instead made the
 * answer wait for hundreds of turns of a busy event loop.
 */
export function pacedBody(
  pieces: readonly Uint8Array[],
  slicer: Pick<TimeSlicer, 'pause'> = new TimeSlicer()
): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (next > 0) await slicer.pause();
        if (next < pieces.length) controller.enqueue(pieces[next++]);
        else controller.close();
      },
    },
    { highWaterMark: 0 }
  );
}
