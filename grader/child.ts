/**
 * The grader child: runs one lesson's probes on the student's code, inside a
 * sandbox the parent set up (read access to `lib/`, `grader/` code and the
 * lessons only; no write, net, run, env, ffi or sys; a heap limit; no code
 * generation from strings). It reports raw values only; the parent decides.
 *
 * Usage (by the parent only): `child.ts <lesson> <lesson file URL> <seed>`,
 * with a one-line nonce on stdin. Every frame the child writes to stdout is
 * `@@gradlings:<nonce>:<kind>:<payload>` on its own line. The nonce is read
 * before student code is imported and is kept in this module's scope, so the
 * student's code cannot forge a frame.
 *
 * @module
 */

import { apply, defineProperty, writeOut } from "./_pristine.ts";
import { describeThrown, ProbeContext, type ProbeOutcome } from "./spec.ts";
import { encodeOutcomes } from "./_wire.ts";
import { loadSpec } from "./specs/mod.ts";

async function readNonce(): Promise<string> {
  const buf = new Uint8Array(64);
  let got = 0;
  while (got < 33) {
    const n = await Deno.stdin.read(buf.subarray(got));
    if (n === null) break;
    got += n;
  }
  const text = new TextDecoder().decode(buf.subarray(0, got)).trim();
  if (!/^[0-9a-f]{32}$/.test(text)) throw new Error("the grader child expects a nonce on stdin");
  return text;
}

const exit = Deno.exit;
const [lesson, lessonUrl, seedText] = Deno.args;
const seed = Number(seedText);
const nonce = await readNonce();
const frame = (kind: string, payload: string) => writeOut(`\n@@gradlings:${nonce}:${kind}:${payload}\n`);

const spec = await loadSpec(lesson);
// Student code gets no Worker (a Worker could load modules the import check never saw).
delete (globalThis as { Worker?: unknown }).Worker;

frame("stage", "import");
let exports: Record<string, unknown> = {};
try {
  exports = await import(lessonUrl);
} catch (e) {
  const error = describeThrown(e, "loading the lesson file", lessonUrl);
  frame("result", encodeOutcomes({ "@import": { values: {}, error } }));
  exit(0);
}

const outcomes: Record<string, ProbeOutcome> = Object.create(null);
for (const probe of spec.probes) {
  frame("stage", probe.id);
  const ctx = new ProbeContext(exports, seed, probe.id);
  let outcome: ProbeOutcome;
  try {
    apply(probe.run, probe, [ctx]);
    outcome = { values: ctx.values };
  } catch (e) {
    outcome = { values: ctx.values, error: describeThrown(e, ctx.step, lessonUrl) };
  }
  defineProperty(outcomes, probe.id, { value: outcome, enumerable: true });
}
frame("result", encodeOutcomes(outcomes));
exit(0);
