/** How one delivery of a job to a trainer ended. */
export type DeliveryResult =
  /** The trainer has the job; `begin` (if any) starts in-process work once the job is recorded as dispatched. */
  | { readonly outcome: 'accepted'; readonly message: string; readonly begin?: () => void }
  /** A network error, timeout or 5xx: worth another attempt. */
  | { readonly outcome: 'retryable'; readonly error: string }
  /** The trainer refused the job (4xx, or the model has no usable trainer): no retry helps. */
  | { readonly outcome: 'refused'; readonly error: string };

/** Minimal structured log the runner and trainers write to. */
export interface RetrainLog {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
