/**
 * The grader child: a function evaluator. It reads a plan from stdin (every
 * input chosen by the parent), imports the lesson file, runs the plan's
 * probes on it and writes the raw outcomes to stdout as one frame,
 * `@@gradlings:result:<json>` on a line of its own (and `@@gradlings:stage:<probe>`
 * lines as it goes, so a timeout can say where). It holds no secret and
 * decides nothing: the parent judges what it reports, and a frame forged by
 * the lesson is just another claim. The parent runs it in a sandbox:
 * `grader/sandbox/spawn.ts` and `SECURITY.md` say which.
 *
 * Usage (by the parent only): `child.ts <lesson file URL>` with the plan on stdin.
 *
 * @module
 */

import { writeOut } from "../probes/_pristine.ts";
import { runPlan } from "../probes/run.ts";
import { decodePlan, encodeOutcomes } from "../probes/wire.ts";
import { describeThrown } from "../probes/values.ts";

const exit = Deno.exit;
const [lessonUrl] = Deno.args;
const plan = decodePlan(await new Response(Deno.stdin.readable).text());
const frame = (kind: string, payload: string) => writeOut(`\n@@gradlings:${kind}:${payload}\n`);

frame("stage", "import");
let exports: Record<string, unknown> = {};
try {
  exports = await import(lessonUrl);
} catch (e) {
  const error = describeThrown(e, "loading the lesson file", lessonUrl);
  frame("result", encodeOutcomes({ "@import": { values: {}, error } }));
  exit(0);
}
const outcomes = runPlan(plan, exports, lessonUrl, (id) => frame("stage", id));
frame("result", encodeOutcomes(outcomes));
exit(0);
