// Regenerates api-contract/openapi.json and generated/openapi.d.ts from the current drift-server:
// `npm run generate -w driftguard-api-contract`, after changing a route or a schema.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DOCUMENT_FILE, servedDocumentText, TYPES_FILE, typesFor } from './contract';

async function generate() {
  const document = servedDocumentText();
  writeFileSync(DOCUMENT_FILE, document);
  mkdirSync(path.dirname(TYPES_FILE), { recursive: true });
  writeFileSync(TYPES_FILE, await typesFor(document));
  process.stdout.write(`Wrote ${DOCUMENT_FILE} and ${TYPES_FILE}\n`);
}

generate();
