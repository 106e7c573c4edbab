/**
 * The route reference of docs/API.md, written from the OpenAPI document: every operation with its
 * query parameters, body fields and the field paths of its JSON answer. docs/API.md holds it between
 * the markers below; a test regenerates it and fails when the page differs, so the page cannot
 * describe a shape the server does not serve (`npm run docs:api -w drift-server` rewrites it).
 */

export const REFERENCE_START =
  '<!-- route reference: generated from the OpenAPI document by `npm run docs:api -w drift-server`; do not edit by hand -->';
export const REFERENCE_END = '<!-- end of route reference -->';

interface Schema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly properties?: Record<string, Schema>;
  readonly items?: Schema;
  readonly additionalProperties?: Schema | boolean;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
}

interface Operation {
  readonly summary?: string;
  readonly parameters?: readonly { readonly name: string; readonly in: string }[];
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: Schema }> };
  readonly responses?: Record<string, { readonly content?: Record<string, { readonly schema?: Schema }> }>;
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components?: { readonly schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Dotted paths of every field a schema holds: `drift.bins[].label`, `features.{key}.cuts[]`. */
export function fieldPaths(
  schema: Schema | undefined,
  document: OpenApiDocument,
  prefix = '',
  seen: ReadonlySet<string> = new Set()
): string[] {
  if (!schema) return prefix === '' ? [] : [prefix];
  if (schema.$ref) {
    const name = schema.$ref.slice(schema.$ref.lastIndexOf('/') + 1);
    if (seen.has(name)) return [prefix];
    return fieldPaths(document.components?.schemas?.[name], document, prefix, new Set([...seen, name]));
  }
  const variants = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
  if (variants.length > 0)
    return [...new Set(variants.flatMap((variant) => fieldPaths(variant, document, prefix, seen)))];
  if (schema.items) return fieldPaths(schema.items, document, `${prefix}[]`, seen);
  const fields = Object.entries(schema.properties ?? {}).flatMap(([name, property]) =>
    fieldPaths(property, document, prefix === '' ? name : `${prefix}.${name}`, seen)
  );
  if (typeof schema.additionalProperties === 'object')
    fields.push(...fieldPaths(schema.additionalProperties, document, `${prefix}.{key}`, seen));
  if (fields.length > 0) return fields;
  // A null-only variant of a nullable field adds nothing; a scalar is its own path.
  return schema.type === 'null' || prefix === '' ? [] : [prefix];
}

/** Every operation of the document as `METHOD /path`, in document order. */
export function operationsOf(document: OpenApiDocument): { method: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    METHODS.filter((method) => operations[method]).map((method) => ({
      method: method.toUpperCase(),
      path,
      operation: operations[method],
    }))
  );
}

const code = (text: string) => `\`${text}\``;

/** The markdown of the reference, markers included. */
export function apiReference(document: OpenApiDocument): string {
  const lines = [REFERENCE_START, ''];
  for (const { method, path, operation } of operationsOf(document)) {
    lines.push(`#### ${code(`${method} ${path}`)}`, '', operation.summary ?? '', '');
    const query = (operation.parameters ?? [])
      .filter((parameter) => parameter.in === 'query')
      .map((parameter) => code(parameter.name));
    lines.push(`- query: ${query.length === 0 ? 'none' : query.join(', ')}`);
    const body = operation.requestBody?.content;
    if (body) {
      const types = Object.keys(body);
      const json = body['application/json']?.schema;
      lines.push(
        `- body (${types.map(code).join(', ')})${json ? `: ${fieldPaths(json, document).map(code).join(', ')}` : ''}`
      );
    }
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if (Number(status) >= 400) continue;
      const content = response.content ?? {};
      const json = content['application/json']?.schema;
      const types = Object.keys(content);
      const fields = json ? fieldPaths(json, document) : [];
      lines.push(
        `- ${status}${types.length === 0 ? ', no body' : ` (${types.map(code).join(', ')})`}${fields.length > 0 ? `: ${fields.map(code).join(', ')}` : ''}`
      );
    }
    const problems = Object.keys(operation.responses ?? {}).filter((status) => Number(status) >= 400);
    lines.push(`- problems: ${problems.join(', ')}`, '');
  }
  lines.push(REFERENCE_END);
  return lines.join('\n');
}

/** The page with its reference replaced by `reference`; the markers must be there once. */
export function withReference(page: string, reference: string): string {
  const start = page.indexOf(REFERENCE_START);
  const end = page.indexOf(REFERENCE_END);
  if (start < 0 || end < start)
    throw new Error(`docs/API.md lacks the route reference markers ${REFERENCE_START} … ${REFERENCE_END}`);
  return `${page.slice(0, start)}${reference}${page.slice(end + REFERENCE_END.length)}`;
}
