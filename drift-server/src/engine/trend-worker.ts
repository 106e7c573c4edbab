/** The worker-thread side of TrendWorkers: computes a trend answer and hands its bytes back by transfer. */
import { move } from 'piscina';
import { trendDocument, TrendDocumentJob } from './trend-document';

export default async function computeTrendDocument(job: TrendDocumentJob): Promise<unknown> {
  return move(await trendDocument(job));
}
