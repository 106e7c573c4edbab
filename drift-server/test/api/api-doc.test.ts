import { readFileSync } from 'node:fs';
import {
  apiReference,
  fieldPaths,
  OpenApiDocument,
  operationsOf,
  REFERENCE_END,
  REFERENCE_START,
} from '../../src/api/api-reference';
import { API_PAGE, servedDocument } from '../../scripts/api-reference';

/** Routes outside the OpenAPI document that the page documents. */
const UNDOCUMENTED = ['GET /healthz', 'GET /metrics', 'GET /openapi.json'];
const ROUTE_MENTION = /`(GET|POST|PUT|PATCH|DELETE) (\/[^`?\s]*)/g;

describe('docs/API.md agrees with the OpenAPI document the server serves', () => {
  let document: OpenApiDocument;
  let page: string;
  let prose: string;
  beforeAll(async () => {
    document = await servedDocument();
    page = readFileSync(API_PAGE, 'utf8');
    prose = page.slice(0, page.indexOf(REFERENCE_START)) + page.slice(page.indexOf(REFERENCE_END));
  });

  it('holds the route reference as the document gives it today (else run npm run docs:api -w drift-server)', () => {
    const held = page.slice(page.indexOf(REFERENCE_START), page.indexOf(REFERENCE_END) + REFERENCE_END.length);
    expect(held).toBe(apiReference(document));
  });

  it('names only routes that exist, and describes every route in its prose', () => {
    const served = operationsOf(document).map(({ method, path }) => `${method} ${path}`);
    const mentioned = new Set(
      [...prose.matchAll(ROUTE_MENTION)].map(
        ([, method, path]) => `${method} ${path.replace(/^\/api\/v1/, '').replace(/\/$/, '')}`
      )
    );
    expect([...mentioned].filter((route) => !served.includes(route) && !UNDOCUMENTED.includes(route)).sort()).toEqual(
      []
    );
    expect(served.filter((route) => !mentioned.has(route)).sort()).toEqual([]);
  });

  it('lists nested fields where they are: the feature detail has its bins under drift and its statistics under stats', () => {
    const detail = fieldPaths(document.components!.schemas!.FeatureDetail, document);
    expect(detail).toEqual(
      expect.arrayContaining([
        'drift.bins[].label',
        'drift.cuts[]',
        'drift.ks_pvalue',
        'stats.reference.{key}',
        'raw_rows.truncated',
      ])
    );
    expect(detail).not.toContain('bins[].label');
    expect(prose).not.toMatch(/^the summary metrics of the feature, `bins`/m);
  });
});
