// The one correction src/types.ts makes to the generated types. When drift-server's document declares
// these references nullable in a form a validator reads as nullable, this fails: drop the correction.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkedIn, DOCUMENT_FILE } from '../scripts/contract';

const summary = JSON.parse(checkedIn(DOCUMENT_FILE)).components.schemas.ModelSummary.properties;

function admitsNull(schema: {
  type?: string | string[];
  allOf?: unknown[];
  anyOf?: Array<{ type?: unknown }>;
}): boolean {
  if (schema.anyOf) {
    return schema.anyOf.some((member) => member.type === 'null');
  }
  // allOf holds only when every member holds; a $ref to an object schema never holds for null.
  return !schema.allOf && ([] as unknown[]).concat(schema.type).includes('null');
}

for (const field of ['estimated_accuracy', 'realized_accuracy', 'reference_accuracy']) {
  test(`ModelSummary.${field} still admits no null in the document (src/types.ts corrects it)`, () => {
    assert.equal(
      admitsNull(summary[field]),
      false,
      `the document now declares ${field} nullable: remove it from NullableAccuracies`
    );
  });
}
