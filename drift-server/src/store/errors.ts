/** Failures the API turns into 4xx problems; anything else is a server error. */
export class StoreError extends Error {}

export class NotFoundError extends StoreError {
  override readonly name = 'NotFoundError';
}

/** The request is well formed but conflicts with stored state (duplicate id, no reference yet). */
export class ConflictError extends StoreError {
  override readonly name = 'ConflictError';
}

/** Uploaded rows that cannot be stored: malformed file, wrong type, unknown column, missing value. */
export class InvalidDataError extends StoreError {
  override readonly name = 'InvalidDataError';
}

/** A model definition that breaks a rule of the registry: features listed twice, named like a mapped column, or too many. */
export class InvalidDefinitionError extends StoreError {
  override readonly name = 'InvalidDefinitionError';
}

export class PayloadTooLargeError extends StoreError {
  override readonly name = 'PayloadTooLargeError';
}

/** An Idempotency-Key reused with a different body. */
export class IdempotencyMismatchError extends StoreError {
  override readonly name = 'IdempotencyMismatchError';
}

/** A read query ran past the configured timeout and was interrupted. */
export class QueryTimeoutError extends StoreError {
  override readonly name = 'QueryTimeoutError';
}

/**
 * The client closed its connection, or the body ended short of what it declared, before the upload
 * was whole. Nothing of such an upload is stored; the client can send it again with the same key.
 */
export class ClientAbortError extends StoreError {
  override readonly name = 'ClientAbortError';
}
