// The recorded answers the plugins' golden tests rest on are answers the current document allows:
// a route or schema change that makes them stale fails here until `npm run goldens` re-records them.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { checkedIn, DOCUMENT_FILE } from '../scripts/contract';
import { Recording, RECORDINGS_DIR } from '../test-support/recordings';

const document = JSON.parse(checkedIn(DOCUMENT_FILE));
// OpenAPI 3.1 schemas are JSON Schema 2020-12; the document's own keywords (example…) are not checked.
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
ajv.addSchema({ $id: 'openapi', components: document.components });

/** The document's path template a concrete path matches, e.g. /models/{modelId}/features/{feature}. */
function pathTemplate(concrete: string): string {
  const template = Object.keys(document.paths).find((candidate) =>
    new RegExp(`^${candidate.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(concrete)
  );
  assert.ok(template, `no route of the document serves ${concrete}`);
  return template;
}

const files = readdirSync(RECORDINGS_DIR).filter((file) => file.endsWith('.json'));

test('there are recordings', () => {
  assert.ok(files.length >= 9, `only ${files.length} recordings in ${RECORDINGS_DIR}`);
});

for (const file of files) {
  test(`${file} is an answer the document allows`, () => {
    const recording = checkedIn(path.join(RECORDINGS_DIR, file));
    const { request, status, body } = JSON.parse(recording) as Recording;
    const operation = document.paths[pathTemplate(request.path)][request.method.toLowerCase()];
    assert.ok(operation, `${request.method} ${request.path} is not in the document`);
    const schema = operation.responses[String(status)]?.content?.['application/json']?.schema;
    assert.ok(schema, `${request.method} ${request.path} declares no JSON answer with status ${status}`);
    const validate = ajv.compile(rewriteRefs(schema));
    assert.ok(validate(body), `${file}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  });
}

/** `#/components/...` references, resolved against the document registered as `openapi`. */
function rewriteRefs(schema: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi#/components/'));
}
