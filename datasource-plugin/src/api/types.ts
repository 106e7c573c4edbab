/**
 * The two answers of drift-server this plugin reads that its OpenAPI document does not describe;
 * everything else comes from the generated types (driftguard-api-contract).
 */

/** GET /healthz: outside /api/v1, so not in the OpenAPI document (drift-server's api/app.ts). */
export interface Health {
  status: string;
  version: string;
  schema_version: number;
}

/** The head of GET /api/v1/openapi.json itself, which the document does not describe. */
export interface OpenApiDocument {
  info: { title: string; version: string };
}
