import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One delivery as the trainer received it. */
export interface Delivery {
  readonly receivedMs: number;
  readonly headers: IncomingMessage['headers'];
  readonly raw: Buffer;
  readonly body: Record<string, unknown> & { job_id: string; model_id: string; callback_url: string };
  /** Whether X-DriftGuard-Signature signs this delivery (docs/API.md's scheme) under the trainer's secret, checked as a trainer author would. */
  readonly signatureValid: boolean;
}

/** How the trainer answers one delivery: a status, optionally after a delay (longer than the timeout to simulate a hang). */
export interface Answer {
  readonly status: number;
  readonly delayMs?: number;
}

export interface FakeTrainer {
  readonly url: string;
  readonly deliveries: Delivery[];
  /** Deliveries of one job. */
  of(jobId: string): Delivery[];
  /** Queues answers for the next deliveries to a model; without one, 202. */
  answer(modelId: string, ...answers: Answer[]): void;
  close(): Promise<void>;
}

function signatureValid(secret: string, request: IncomingMessage, raw: Buffer, jobId: string): boolean {
  const timestamp = String(request.headers['x-driftguard-timestamp']);
  const signed = Buffer.concat([Buffer.from(`v1\n${timestamp}\n${request.method}\n${request.url}\n${jobId}\n`), raw]);
  const fresh = Math.abs(Date.now() - Number(timestamp)) <= 300_000;
  return (
    fresh &&
    request.headers['x-driftguard-signature'] === `v1=${createHmac('sha256', secret).update(signed).digest('hex')}`
  );
}

/** A real HTTP server playing a webhook trainer: records every delivery and answers as scripted per model. */
export async function startFakeTrainer(secret: string): Promise<FakeTrainer> {
  const deliveries: Delivery[] = [];
  const scripts = new Map<string, Answer[]>();
  const pending = new Set<ServerResponse>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = JSON.parse(raw.toString('utf8')) as Delivery['body'];
      deliveries.push({
        receivedMs: Date.now(),
        headers: request.headers,
        raw,
        body,
        signatureValid: signatureValid(secret, request, raw, body.job_id),
      });
      const answer = scripts.get(body.model_id)?.shift() ?? { status: 202 };
      pending.add(response);
      const reply = () => {
        pending.delete(response);
        if (!response.destroyed)
          response
            .writeHead(answer.status, { 'content-type': 'text/plain' })
            .end(answer.status >= 400 ? 'trainer says no' : 'accepted');
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/train`,
    deliveries,
    of: (jobId) => deliveries.filter((delivery) => delivery.body.job_id === jobId),
    answer: (modelId, ...answers) => scripts.set(modelId, [...(scripts.get(modelId) ?? []), ...answers]),
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of pending) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
