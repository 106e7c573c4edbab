// Fails when drift-server's routes changed without `npm run generate -w driftguard-api-contract`: the
// checked-in document must be what a fresh server serves, and the checked-in types what
// openapi-typescript writes for it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkedIn, DOCUMENT_FILE, servedDocumentText, TYPES_FILE, typesFor } from '../scripts/contract';

const REGENERATE = 'stale: run `npm run generate -w driftguard-api-contract` and commit the result';

test('openapi.json is the document drift-server serves at /api/v1/openapi.json', () => {
  assert.equal(checkedIn(DOCUMENT_FILE), servedDocumentText(), `api-contract/openapi.json is ${REGENERATE}`);
});

test('generated/openapi.d.ts is what openapi-typescript writes for openapi.json', async () => {
  assert.equal(
    checkedIn(TYPES_FILE),
    await typesFor(checkedIn(DOCUMENT_FILE)),
    `generated/openapi.d.ts is ${REGENERATE}`
  );
});
