// A nullable reference must reach the generated types as nullable: openapi-typescript reads
// allOf [$ref, {type: [object, null]}] literally (no null satisfies the $ref, so none satisfies the
// allOf) and types the field non-null, while drift-server sends null before labels arrive.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkedIn, DOCUMENT_FILE } from '../scripts/contract';

type Schema = { type?: string | string[]; allOf?: Schema[]; anyOf?: Schema[]; [key: string]: unknown };
const document = JSON.parse(checkedIn(DOCUMENT_FILE));

function allOfsDeclaringNull(node: unknown, path: string, found: string[]): string[] {
  if (Array.isArray(node)) node.forEach((item, index) => allOfsDeclaringNull(item, `${path}/${index}`, found));
  else if (node !== null && typeof node === 'object') {
    const schema = node as Schema;
    if (schema.allOf?.some((member) => ([] as unknown[]).concat(member.type).includes('null'))) found.push(path);
    for (const [key, value] of Object.entries(schema)) allOfsDeclaringNull(value, `${path}/${key}`, found);
  }
  return found;
}

test('no allOf in the document declares null in a member: such a field could never be null', () => {
  assert.deepEqual(allOfsDeclaringNull(document, '', []), []);
});

for (const field of ['estimated_accuracy', 'realized_accuracy', 'reference_accuracy']) {
  test(`ModelSummary.${field} admits null: anyOf [$ref, {type: null}]`, () => {
    const schema: Schema = document.components.schemas.ModelSummary.properties[field];
    assert.ok(
      schema.anyOf?.some((member) => member.type === 'null'),
      JSON.stringify(schema).slice(0, 200)
    );
  });
}
