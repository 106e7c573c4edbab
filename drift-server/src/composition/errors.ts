/** Why drift-server could not start, in one sentence naming the setting or file at fault. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
