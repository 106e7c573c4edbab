import type { TestServer } from '../api/harness';

/** What the held upload sends: predictions as NDJSON unless told otherwise. */
export interface HeldUpload {
  readonly resource: 'predictions' | 'references';
  readonly contentType: string;
}

/**
 * An upload that sends its first bytes, then waits for `release` before sending the rest: while it
 * waits it holds the model's lock, so other writes to the model queue behind it.
 */
export function lockHolder(
  t: TestServer,
  modelId: string,
  body: string,
  { resource, contentType }: HeldUpload = { resource: 'predictions', contentType: 'application/x-ndjson' }
): { answer: Promise<Response>; release: () => void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const encoder = new TextEncoder();
  let sent = false;
  const answer = t.call(`/api/v1/models/${modelId}/${resource}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    duplex: 'half',
    body: new ReadableStream({
      async pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(encoder.encode(body.slice(0, 50)));
          return;
        }
        await released;
        controller.enqueue(encoder.encode(body.slice(50)));
        controller.close();
      },
    }),
  } as RequestInit);
  return { answer, release };
}
