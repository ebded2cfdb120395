/**
 * Checks a `results.json` against `gradescope_results.schema.json`, a JSON
 * Schema written from Gradescope's documented output format, with Ajv (the
 * most used JSON Schema validator on npm). Returns the problems found; empty
 * when the results are valid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateGradescope } from "./gradescope_schema.ts";
 * assert.deepEqual(validateGradescope({ score: 3, tests: [] }), []);
 * assert.equal(validateGradescope({ score: "3" }).length, 1);
 * ```
 *
 * @module
 */

import { Ajv } from "ajv";
import schema from "./gradescope_results.schema.json" with { type: "json" };

const _validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);

/** The schema violations of `results` (`/tests/0/status must be equal to one of the allowed values`). */
export function validateGradescope(results: unknown): string[] {
  return _validate(results) ? [] : (_validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
