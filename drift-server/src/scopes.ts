/** What a token may do: the access scopes every layer names (config reads them, the store keeps them, the API checks them). */
export const SCOPES = ['read', 'ingest', 'operate', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** `admin` includes every other scope. */
export function grants(scopes: readonly Scope[], required: Scope): boolean {
  return scopes.includes(required) || scopes.includes('admin');
}
