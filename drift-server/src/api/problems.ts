import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { EngineInputError } from '../engine';
import { StatsInputError } from '../stats';
import {
  ClientAbortError,
  ConflictError,
  IdempotencyMismatchError,
  InvalidDataError,
  InvalidDefinitionError,
  NotFoundError,
  PayloadTooLargeError,
  QueryTimeoutError,
} from '../store';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
const PROBLEM_BASE = 'https://driftguard.dev/problems/';

/** Problem types this API returns; each is documented at PROBLEM_BASE + slug and in docs/API.md. */
export const PROBLEM_TYPES = {
  'invalid-request': { status: 400, title: 'The request is invalid' },
  'invalid-data': { status: 400, title: 'The uploaded data cannot be stored' },
  unauthorized: { status: 401, title: 'A valid bearer token is required' },
  forbidden: { status: 403, title: 'The token lacks the required scope' },
  'not-found': { status: 404, title: 'No such resource' },
  conflict: { status: 409, title: 'The request conflicts with stored state' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The body format is not supported' },
  'idempotency-key-reused': { status: 422, title: 'The Idempotency-Key was used with a different body' },
  'too-many-failed-authentications': { status: 429, title: 'Too many failed authentications from this address' },
  'client-closed-request': { status: 499, title: 'The client closed the connection before its request ended' },
  'internal-error': { status: 500, title: 'The server failed to handle the request' },
  'query-timeout': { status: 503, title: 'The query took too long' },
  'server-busy': { status: 503, title: 'Too many expensive reads are waiting' },
} as const;

export type ProblemType = keyof typeof PROBLEM_TYPES;

/** An RFC 9457 problem to answer with; thrown anywhere in a handler. */
export class ApiProblem extends Error {
  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    readonly headers: Record<string, string> = {}
  ) {
    super(detail);
  }

  get status(): number {
    return PROBLEM_TYPES[this.type].status;
  }
}

const STORE_ERRORS: [new (...args: never[]) => Error, ProblemType][] = [
  [InvalidDataError, 'invalid-data'],
  [InvalidDefinitionError, 'invalid-request'],
  [NotFoundError, 'not-found'],
  [ConflictError, 'conflict'],
  [PayloadTooLargeError, 'payload-too-large'],
  [IdempotencyMismatchError, 'idempotency-key-reused'],
  [EngineInputError, 'invalid-request'],
  [StatsInputError, 'invalid-request'],
  [QueryTimeoutError, 'query-timeout'],
  [ClientAbortError, 'client-closed-request'],
];

/** Zod issues as one readable sentence: `where: what` for each. */
export function describeIssues(error: z.ZodError, where = ''): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => {
      const path = [where, ...issue.path.map(String)].filter((part) => part !== '').join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}

/** The problem an error stands for; unknown errors become a 500 without internals in the detail. */
export function problemOf(error: unknown, requestId: string): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof z.ZodError) return new ApiProblem('invalid-request', describeIssues(error));
  for (const [errorClass, type] of STORE_ERRORS) {
    if (error instanceof errorClass) return new ApiProblem(type, error.message);
  }
  if (error instanceof HTTPException) {
    const type = (Object.keys(PROBLEM_TYPES) as ProblemType[]).find(
      (key) => PROBLEM_TYPES[key].status === error.status
    );
    return new ApiProblem(type ?? 'invalid-request', error.message);
  }
  return new ApiProblem('internal-error', `unexpected error; quote request id ${requestId} when reporting it`);
}

export function problemResponse(c: Context, problem: ApiProblem, requestId: string): Response {
  const { status, title } = PROBLEM_TYPES[problem.type];
  const body = {
    type: `${PROBLEM_BASE}${problem.type}`,
    title,
    status,
    detail: problem.detail,
    instance: c.req.path,
    request_id: requestId,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': PROBLEM_MEDIA_TYPE, 'x-request-id': requestId, ...problem.headers },
  });
}
