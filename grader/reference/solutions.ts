/**
 * Reference values from the reference solutions: `solutions/<lesson>.ts` run
 * on a plan with the same probe code the sandbox runs, purpose `reference`.
 * The grader asks a separate, trusted process ({@linkcode referenceProcess},
 * `main.ts`) with its own limits; `make-fixtures` may run them in its own
 * process ({@linkcode runSolutions}). Student code never runs here, and
 * nothing here is ever sent to a sandboxed child.
 *
 * @module
 */

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runPlan } from "../probes/run.ts";
import type { LessonPlan } from "../probes/plan.ts";
import { decode, decodeOutcomes, encode, encodeOutcomes, type Tree } from "../probes/wire.ts";
import type { ProbeOutcome } from "../probes/values.ts";
import { type Limits, RUN_FLAGS, runLimited } from "../sandbox/spawn.ts";

/** What the reference process may use for one batch of plans. */
export const REFERENCE_LIMITS: Limits = { cpuSeconds: 300, wallMs: 600_000, dataMb: 8192 };

/** The reference failed: the solutions are missing or broken (an instructor's problem, said plainly). */
export class ReferenceUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReferenceUnavailable";
  }
}

/** True when `kitDir` has the reference solutions. */
export function hasSolutions(kitDir: string): boolean {
  try {
    return Deno.statSync(join(kitDir, "solutions", "mod.ts")).isFile;
  } catch {
    return false;
  }
}

/** Runs each plan on `solutions/` in this process; outcomes in plan order. Throws when a probe fails. */
export async function runSolutions(
  kitDir: string,
  plans: readonly LessonPlan[],
): Promise<Record<string, ProbeOutcome>[]> {
  const out: Record<string, ProbeOutcome>[] = [];
  for (const plan of plans) {
    const file = join(kitDir, "solutions", `${plan.lesson}.ts`);
    const exports = await import(pathToFileURL(file).href);
    const outcomes = runPlan({ ...plan, purpose: "reference" }, exports, file);
    for (const p of plan.probes) {
      const e = outcomes[p.id]?.error;
      if (e) {
        throw new ReferenceUnavailable(
          `the reference solution failed probe ${plan.lesson}/${p.id}: ${e.step}: ${e.name}: ${e.message}`,
        );
      }
    }
    out.push(outcomes);
  }
  return out;
}

/**
 * Runs each plan on `solutions/` in a separate process (read access to the
 * kit only, no network, limits); outcomes in plan order. Throws
 * {@linkcode ReferenceUnavailable} with the reason when it cannot.
 */
export async function referenceProcess(
  kitDir: string,
  plans: readonly LessonPlan[],
  env: Record<string, string>,
  signal?: AbortSignal,
): Promise<Record<string, ProbeOutcome>[]> {
  if (!plans.length) return [];
  if (!hasSolutions(kitDir)) {
    throw new ReferenceUnavailable(`this copy has no solutions/ to compute reference values with`);
  }
  const r = await runLimited({
    args: [
      "run",
      ...RUN_FLAGS,
      `--allow-read=${kitDir}`,
      join(kitDir, "grader", "reference", "main.ts"),
      kitDir,
    ],
    cwd: kitDir,
    env,
    stdin: encode(plans as unknown as Tree),
    limits: REFERENCE_LIMITS,
    maxStdout: 1 << 30,
    signal,
  });
  const line = r.stdout.split("\n").find((l) => l.startsWith("@@reference:"));
  if (r.code !== 0 || !line) {
    const why = r.killed
      ? `it was stopped (${r.killed})`
      : (r.stderr.trim().split("\n").slice(-3).join(" ") || `exit code ${r.code}`);
    throw new ReferenceUnavailable(`the reference process failed: ${why.slice(0, 500)}`);
  }
  const body = line.slice("@@reference:".length);
  if (body.startsWith("error:")) throw new ReferenceUnavailable(body.slice(6));
  const texts = JSON.parse(body) as string[];
  return texts.map((t, i) => decodeOutcomes(t, plans[i].probes.map((p) => p.id)));
}

/** The entry point's work: plans in (wire format), one line of outcomes out. */
export async function serve(kitDir: string, input: string): Promise<string> {
  try {
    const plans = decode(input) as unknown as LessonPlan[];
    const outcomes = await runSolutions(kitDir, plans);
    return `@@reference:${JSON.stringify(outcomes.map((o) => encodeOutcomes(o)))}`;
  } catch (e) {
    return `@@reference:error:${(e as Error).message}`;
  }
}
