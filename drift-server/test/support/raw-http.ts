import net from 'node:net';

export interface CutUpload {
  readonly url: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** Bytes of the body sent before the connection ends. */
  readonly sendBytes: number;
  /** `close`: the socket is destroyed; `half-close`: the client ends its side and waits for an answer. */
  readonly ending: 'close' | 'half-close';
  /** Sends the body chunked (Transfer-Encoding) instead of with Content-Length. */
  readonly chunked?: boolean;
  /** Waits this long after the bytes are sent before ending the connection, so the server is reading the body by then. */
  readonly holdMs?: number;
}

export interface CutOutcome {
  /** Resolves once the bytes were handed to the socket and the connection was ended. */
  readonly cut: Promise<void>;
  /** The status line the server answered with, or '' when it answered nothing before the connection closed. */
  readonly answer: Promise<string>;
}

/** Sends the head and the first `sendBytes` of the body over a raw socket, then ends the connection. */
export function cutUpload({
  url,
  path,
  headers,
  body,
  sendBytes,
  ending,
  chunked = false,
  holdMs = 0,
}: CutUpload): CutOutcome {
  const { hostname, port } = new URL(url);
  const framing = chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) };
  const head = [
    `POST ${path} HTTP/1.1`,
    `host: ${hostname}:${port}`,
    ...Object.entries({ ...headers, ...framing }).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  const payload = chunked
    ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')])
    : body;
  let cutDone!: () => void;
  const cut = new Promise<void>((resolve) => (cutDone = resolve));
  const answer = new Promise<string>((resolve) => {
    let received = '';
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(head);
      socket.write(payload.subarray(0, sendBytes + (chunked ? body.length.toString(16).length + 2 : 0)), () =>
        setTimeout(() => {
          if (ending === 'close') socket.destroy();
          else socket.end();
          cutDone();
        }, holdMs)
      );
    });
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      cutDone();
      resolve(received.split('\r\n')[0]);
    });
  });
  return { cut, answer };
}
