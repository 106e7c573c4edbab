// Writes the OpenAPI document a fresh server serves at /api/v1/openapi.json to the file named on the
// command line (stdout without one): `npm run generate -w driftguard-api-contract` reads it from here.
import { writeFileSync } from 'node:fs';
import { servedDocument } from './api-reference';

servedDocument().then((document) => {
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const file = process.argv[2];
  if (file) {
    writeFileSync(file, text);
  } else {
    process.stdout.write(text);
  }
});
