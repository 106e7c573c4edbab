/** A query the engine cannot answer as asked (bad window, unknown feature): a 4xx for the API. */
export class EngineInputError extends Error {
  override readonly name = 'EngineInputError';
}
