/**
 * Judges a lesson's checks (parent side) from the plan, the reference and the
 * child's reported values, then applies the gates: a check that is not
 * anchored counts only when every check of its gate passed, so values that
 * agree only with themselves (central differences of a forged forward, a
 * copied frame of another seed) earn nothing. Then every failing check no
 * signature named gets a diagnosis from the lesson-level pass
 * (`explain.ts`). A check never throws out of here.
 *
 * @module
 */

import type { CheckResult, LessonStatus } from "../results.ts";
import { type Check, type Judge, Missing, type ProbeError, type ProbeOutcome, type Value } from "../spec.ts";
import type { ProbePlan } from "../probes/plan.ts";
import { explain, type Left } from "./explain.ts";

/** The text of a probe error for a message. */
export function errorText(e: ProbeError, seed: number): string {
  const where = e.where ? ` (${e.where})` : "";
  return e.kind === "not-implemented"
    ? `${e.message}`
    : `${e.step} threw ${e.name}${e.message ? `: ${e.message}` : ""}${where} (seed ${seed})`;
}

class ReferenceMissing extends Error {}

/** A lesson's status from its checks: passed, not started (nothing written yet), or failing. */
export function lessonStatus(results: readonly CheckResult[]): LessonStatus {
  if (results.every((c) => c.status === "passed")) return "passed";
  const started = results.some((c) => c.status !== "not started" && c.status !== "passed");
  return started || results.some((c) => c.points > 0) ? "failing" : "not started";
}

/** The judge over one run's sources. */
export function makeJudge(
  seed: number,
  plans: readonly ProbePlan[],
  student: Record<string, ProbeOutcome>,
  reference: Record<string, ProbeOutcome>,
): Judge {
  const byId = new Map(plans.map((p) => [p.id, p]));
  return {
    seed,
    student(probe: string, key: string): Value {
      const o = student[probe];
      if (o && Object.hasOwn(o.values, key)) return o.values[key];
      throw new Missing(probe, key, o?.error);
    },
    reference(probe: string, key: string): Value {
      const o = reference[probe];
      if (o && Object.hasOwn(o.values, key)) return o.values[key];
      throw new ReferenceMissing(`no reference value ${probe}/${key}: the reference is stale or broken`);
    },
    plan(probe: string, key: string): Value {
      const v = byId.get(probe)?.inputs[key];
      if (v === undefined) throw new TypeError(`the plan of ${probe} has no input ${key}`);
      return v;
    },
    planSetting(probe: string, key: string) {
      const v = byId.get(probe)?.settings[key];
      if (v === undefined) throw new TypeError(`the plan of ${probe} has no setting ${key}`);
      return v;
    },
    has(probe: string, key: string): boolean {
      return student[probe] !== undefined && Object.hasOwn(student[probe].values, key);
    },
  };
}

/** Judges every check, applies the gates (a gate's own gate counts too), then diagnoses what is left. */
export function judgeChecks(lesson: string, checks: readonly Check[], j: Judge): CheckResult[] {
  const left = new Map<string, Left>();
  const raw = new Map(checks.map((c) => {
    const { result, ...rest } = judgeOne(lesson, c, j);
    if (rest.evidence || rest.error) left.set(c.id, rest);
    return [c.id, result];
  }));
  const gates = new Map(checks.map((c) => [c.id, c.gate ?? []]));
  const final = new Map<string, CheckResult>();
  const resolve = (id: string, depth = 0): CheckResult | undefined => {
    const known = final.get(id);
    if (known) return known;
    const r = raw.get(id);
    if (!r) return undefined;
    const done = depth > 16
      ? { ...r, points: 0, status: "error" as const, message: "gates form a cycle" }
      : gated(r, depth);
    final.set(id, done);
    return done;
  };
  const gated = (r: CheckResult, depth: number): CheckResult => {
    const gate = gates.get(r.id)!;
    if (!gate.length || r.status !== "passed") return r;
    // A gate naming no check of this lesson blocks (a spec bug must not open a gate).
    const blocking = gate.map((id) =>
      resolve(id, depth + 1) ?? { ...r, id, name: id, status: "error" as const }
    )
      .filter((g) => g.status !== "passed");
    if (!blocking.length) return r;
    const names = blocking.map((g) => `“${g!.name}”`).join(" and ");
    const notStarted = blocking.every((g) => g!.status === "not started");
    return {
      ...r,
      points: 0,
      blockedBy: blocking.map((g) => g.id),
      status: notStarted ? "not started" as const : "failed" as const,
      message: notStarted
        ? blocking[0]!.message
        : `not counted yet: this check counts once ${names} pass${
          blocking.length > 1 ? "" : "es"
        } (seed ${j.seed})`,
      diagnosis: `it passes on its own, but it rests on ${names}: fix ${
        blocking.length > 1 ? "those" : "that"
      } first`,
    };
  };
  const results = checks.map((c) => resolve(c.id)!);
  try {
    return explain(checks, results, left, j);
  } catch {
    return results; // a diagnosis is a help: its failure never costs a verdict
  }
}

function judgeOne(lesson: string, c: Check, j: Judge): Left & { result: CheckResult } {
  const t0 = performance.now();
  const base = { lesson, id: c.id, name: c.name, max: c.points, hidden: c.hidden === true, seed: j.seed };
  const time = () => Math.round(1000 * (performance.now() - t0)) / 1e6;
  try {
    const v = c.judge(j);
    if (v.pass) return { result: { ...base, points: c.points, status: "passed", message: "", time: time() } };
    const signature = v.signature ?? v.diagnosis;
    return {
      result: {
        ...base,
        points: 0,
        status: "failed",
        message: v.message,
        ...(v.diagnosis ? { diagnosis: v.diagnosis } : {}),
        ...(signature ? { signature } : {}),
        ...(v.hint ? { hint: v.hint } : {}),
        time: time(),
      },
      ...(v.evidence ? { evidence: v.evidence } : {}),
    };
  } catch (e) {
    if (e instanceof Missing) {
      const err = e.error;
      if (err?.kind === "not-implemented") {
        return {
          result: {
            ...base,
            points: 0,
            status: "not started",
            message: errorText(err, j.seed),
            time: time(),
          },
        };
      }
      return {
        result: {
          ...base,
          points: 0,
          status: "failed",
          message: err ? errorText(err, j.seed) : `no result recorded (seed ${j.seed})`,
          time: time(),
        },
        ...(err ? { error: err } : {}),
      };
    }
    const message = e instanceof ReferenceMissing ? e.message : `the grader could not judge this check: ${e}`;
    return { result: { ...base, points: 0, status: "error", message, time: time() } };
  }
}
