/**
 * The lesson-level diagnosis pass (parent side), run by `judgeChecks` after
 * every check of a lesson is judged and gated: each failing check that no
 * mistake signature named (and that no gate blocked) gets a diagnosis from
 * what the parent already holds (the plan, the reference values and the
 * child's values, kept as each check's evidence), never from the code.
 *
 * - Across the checks of a lesson: where the same result is right on some
 *   cases and wrong on others, it says which trait tells them apart (a batch
 *   of 1 against larger ones, training against evaluation mode, the first
 *   step of a trajectory against the later ones, a kernel size, the inputs'
 *   magnitude); a central-difference check takes the diagnosis of the
 *   reference check of the same result, or says that the forward is what is
 *   wrong there.
 * - On one check's numbers: the generic patterns of `patterns.ts`.
 * - For a probe that stopped on an error: what the error says about shapes
 *   (a batch-sized axis where features were expected), what our probes'
 *   own errors mean (a module never called), and on which cases it throws.
 *
 * Only when nothing applies does a check get the unnamed
 * {@linkcode UNNAMED} fallback, which still says what the error is not.
 *
 * @module
 */

import type { CheckResult } from "../results.ts";
import type { Check, Evidence, Judge, NamedConstant, ProbeError, TensorValue } from "../spec.ts";
import { isTensorValue } from "../spec.ts";
import { describeDifference, type Finding, PATTERNS, shapeWhy } from "./patterns.ts";

/** The ids of the lesson-level patterns. */
export const CROSS_PATTERNS = {
  split: "pattern:split",
  numericForward: "pattern:numeric-forward",
  threwProbe: "pattern:threw-probe",
  threwShape: "pattern:threw-shape",
  onlyThis: "pattern:only-this",
  afterWrite: "pattern:after-write",
} as const;

/** The fallbacks: a diagnosis that names no pattern (the coverage test counts them as unnamed). */
export const UNNAMED = {
  spread: "pattern:spread",
  threw: "pattern:threw",
} as const;

/** Every generic pattern id (single results and lesson level), the fallbacks excepted. */
export const GENERIC_PATTERNS: readonly string[] = [
  ...Object.values(PATTERNS),
  ...Object.values(CROSS_PATTERNS),
];

/** What a check's verdict left for this pass. */
export interface Left {
  /** What it compared, when it compared values. */
  readonly evidence?: Evidence;
  /** Why it has no value, when its probe stopped on an error. */
  readonly error?: ProbeError;
}

/** The sizes of a probe's inputs as constants a wrong factor or axis might be. */
export function sizeConstants(input?: TensorValue, gradOutput?: TensorValue): NamedConstant[] {
  if (!input) return [];
  const s = input.shape;
  const out: NamedConstant[] = [];
  if (s.length >= 2) out.push({ value: s[0], symbol: "N", meaning: "the batch size" });
  const rest = input.data.length / Math.max(1, s[0]);
  if (s.length === 2) out.push({ value: s[1], symbol: "D", meaning: "the number of features" });
  if (s.length === 4) {
    out.push(
      { value: s[1], symbol: "C", meaning: "the channels" },
      { value: s[2] * s[3], symbol: "H·W", meaning: "the pixels of an image" },
    );
  } else if (s.length > 2) out.push({ value: rest, symbol: "D", meaning: "the elements of a sample" });
  if (s.length >= 2) out.push({ value: input.data.length, symbol: "N·D", meaning: "every element" });
  const g = gradOutput?.shape;
  if (g && g.length === 2 && g[1] !== s[1] && s.length === 2) {
    out.push({ value: g[1], symbol: "nOut", meaning: "the output's features" });
  }
  return out;
}

/** Traits the layer builders give every case; a case's own traits come first. */
const BUILT_IN = ["arguments", "batch", "rank"];
/** Traits a split is said by first. */
const TRAIT_ORDER = ["mode", "values", "step", "variable"];

function list(xs: readonly string[]): string {
  const u = [...new Set(xs)];
  if (u.length > 3) return `${u.slice(0, 3).join(", ")} and ${u.length - 3} more`;
  return u.length <= 1 ? u.join("") : `${u.slice(0, -1).join(", ")} and ${u.at(-1)}`;
}

/** Where a result is right and where not, by one trait: the two sides in words and why it might be. */
interface Sides {
  readonly right: string;
  readonly wrong: string;
  readonly why?: string;
}

/** The two sides of a trait that separates passing and failing cases, or undefined when it says nothing. */
function sides(name: string, pass: Set<string | number>, fail: Set<string | number>): Sides | undefined {
  const nums = (s: Set<string | number>) => [...s].map(Number).sort((a, b) => a - b);
  if (name === "batch") {
    const [p, f] = [nums(pass), nums(fail)];
    // A batch size explains the split only when every failing batch is larger than every passing one.
    if (!(p.at(-1)! < f[0])) return undefined;
    const batches = (b: number[]) =>
      b.length === 1 ? `a batch of ${b[0]}` : `batches of ${list(b.map(String))}`;
    return {
      right: `for ${batches(p)}`,
      wrong: `for ${batches(f)}`,
      why: p.length === 1 && p[0] === 1
        ? "something mixes the samples or divides by N (a sum, mean or loop over the batch?)"
        : undefined,
    };
  }
  if (name === "step") {
    const [p, f] = [nums(pass), nums(fail)];
    if (p.at(-1)! < f[0]) {
      return {
        right: `at step ${list(p.map(String))}`,
        wrong: `from step ${f[0]} on`,
        why: "is the state carried between calls right?",
      };
    }
    return { right: `at step ${list(p.map(String))}`, wrong: `at step ${list(f.map(String))}` };
  }
  const words = (s: Set<string | number>) => list([...s].map(String));
  if (name === "mode") return { right: words(pass), wrong: words(fail) };
  return { right: `with ${words(pass)}`, wrong: `with ${words(fail)}` };
}

/**
 * Where a result is right and where it is wrong (or throws), across the
 * cases of a lesson: by the first trait that separates them, else by the
 * cases' labels.
 */
function split(
  c: Check,
  checks: readonly Check[],
  status: (id: string) => "ok" | "wrong" | "threw" | "other",
  wrong: "wrong" | "threw",
): Sides | undefined {
  const a = c.about;
  if (!a || a.against !== "reference") return undefined;
  const group = checks.filter((x) => x.about?.result === a.result && x.about.against === "reference");
  const right = group.filter((x) => status(x.id) === "ok" || (wrong === "threw" && status(x.id) === "wrong"));
  const bad = group.filter((x) => status(x.id) === wrong);
  if (!right.length || !bad.length) return undefined;
  const rank = (n: string) => {
    const o = TRAIT_ORDER.indexOf(n);
    return o >= 0 ? o : BUILT_IN.includes(n) ? 100 + BUILT_IN.indexOf(n) : 50;
  };
  const names = [...new Set(group.flatMap((x) => Object.keys(x.about?.traits ?? {})))]
    .filter((n) => group.every((x) => x.about?.traits?.[n] !== undefined))
    .sort((p, q) => rank(p) - rank(q));
  for (const n of names) {
    const pv = new Set(right.map((x) => x.about!.traits![n]));
    const fv = new Set(bad.map((x) => x.about!.traits![n]));
    if ([...fv].some((v) => pv.has(v))) continue;
    const found = sides(n, pv, fv);
    if (found) return found;
  }
  // Without a trait, the cases themselves, when they are few enough to read.
  if (right.length > 3 || bad.length > 3) return undefined;
  const labels = (xs: Check[]) => list(xs.map((x) => x.about?.label ?? x.name));
  return { right: `on ${labels(right)}`, wrong: `on ${labels(bad)}` };
}

/** "right for a batch of 1, wrong for batches of 5 and 16: …". */
function rightWrong(s: Sides): string {
  return `right ${s.right}, wrong ${s.wrong}${s.why ? `: ${s.why}` : ""}`;
}

/** What our probes' own errors mean. */
const PROBE_ERRORS: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /module (\d+) was not called in forward/,
    (m) =>
      `forward stops before module ${m[1]} (a return inside the loop${
        m[1] === "2" ? ", after the first module" : ""
      }?)`,
  ],
  [
    /module (\d+) was not called in backward/,
    (m) => `backward stops before module ${m[1]} (a return inside the loop, or a loop bound off by one?)`,
  ],
  [
    /the input a module received in backward should be a Tensor, got undefined/,
    () =>
      "a module was given undefined as its input in backward: the output of a module whose forward never ran (forward stops early?)",
  ],
  [
    /(\w+)\.(output|gradInput) should be a Tensor, got undefined/,
    (m) =>
      `this.${m[2]} is never set: ${
        m[2] === "output" ? "updateOutput" : "updateGradInput"
      } must store its result there`,
  ],
  [/should be a Tensor, got undefined/, () => "a method returns nothing (undefined): a missing return?"],
  [/returned (\d+) tensors, expected (\d+)/, (m) => `a list of ${m[1]} tensors where ${m[2]} were expected`],
  [/does not export (\w+)/, (m) => `the lesson file does not export ${m[1]} (spelled exactly so)`],
];

/** Shapes quoted by an error (`[5]`, `[4, 3]`). */
function quotedShapes(message: string): number[][] {
  return [...message.matchAll(/\[([\d, ]+)\]/g)].map((m) => m[1].split(",").map((x) => Number(x.trim())));
}

/** What an error of our own probes means. */
function probeErrorFinding(message: string): Finding | undefined {
  for (const [re, say] of PROBE_ERRORS) {
    const m = re.exec(message);
    if (m) return { id: CROSS_PATTERNS.threwProbe, says: say(m) };
  }
  return undefined;
}

/** What the shapes an error quotes say, related to the probe's sizes. */
function shapeErrorFinding(message: string, constants: readonly NamedConstant[]): Finding | undefined {
  const found = (says: string): Finding => ({ id: CROSS_PATTERNS.threwShape, says });
  if (/\[[^\]]*NaN/.test(message)) {
    return found(
      "a size computed as NaN: reading a dimension the input does not have (shape[3] of a 3-D input?)",
    );
  }
  if (/Invalid typed array length: -\d|negative (size|length|dimension)/i.test(message)) {
    return found(
      "a negative size: an output smaller than its window (the padding missing, or a size computed wrong?)",
    );
  }
  const shapes = quotedShapes(message);
  const text = (s: readonly number[]) => `[${s.join(", ")}]`;
  if (/matmul/i.test(message) && shapes.length >= 2 && shapes[0].length === 2 && shapes[1].length === 2) {
    const [a, b] = shapes;
    const which = a[1] === b[1] ? "the second factor" : a[0] === b[0] ? "the first factor" : undefined;
    if (which) {
      return found(
        `a matrix product ${text(a)}·${text(b)} whose inner sizes differ: ${which} needs a transpose?`,
      );
    }
  }
  // "returned shape A, expected B" and "A does not broadcast to the target's shape B" quote a result and what it should be.
  const expected = /expected|target/.test(message);
  for (let a = 0; a < shapes.length; a++) {
    for (let b = a + 1; b < shapes.length; b++) {
      const why = shapeWhy(shapes[a], shapes[b], constants);
      if (!why) continue;
      const [p, q] = [text(shapes[a]), text(shapes[b])];
      return found(
        expected
          ? `a result of shape ${p} where ${q} was expected: ${why}`
          : `shapes ${p} and ${q} meet: ${why}`,
      );
    }
  }
  return undefined;
}

function join(first: string, then?: string): string {
  return then ? `${first}; ${then}` : first;
}

/**
 * `results` with a diagnosis for every failing check that has none (and is
 * not blocked by its gate), from the checks' evidence and the lesson's other
 * results.
 */
export function explain(
  checks: readonly Check[],
  results: readonly CheckResult[],
  left: ReadonlyMap<string, Left>,
  j: Judge,
): CheckResult[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  const status = (id: string) => {
    const r = byId.get(id);
    if (!r) return "other";
    if (r.status === "passed") return "ok";
    if (r.status !== "failed") return "other";
    return left.get(id)?.error ? "threw" : "wrong";
  };
  const done = new Map<string, CheckResult>();
  const explainOne = (c: Check): CheckResult => {
    const r = byId.get(c.id)!;
    if (r.status !== "failed" || r.blockedBy || r.diagnosis) return r;
    const f = findingFor(c, r);
    return { ...r, diagnosis: f.says, signature: f.id };
  };
  const constantsOf = (c: Check): NamedConstant[] => {
    const probe = c.about?.probe;
    if (!probe) return [];
    const get = (k: string) => {
      try {
        const v = j.plan(probe, k);
        return isTensorValue(v) ? v : undefined;
      } catch {
        return undefined;
      }
    };
    let context: NamedConstant[] = [];
    try {
      context = [...(c.context?.(j).constants ?? [])];
    } catch { /* a context that cannot be computed adds nothing */ }
    return [...context, ...sizeConstants(get("input") ?? get("batch.0"), get("gradOutput"))];
  };
  /** A check of the same probe and result kind (`output` also matches `loss`). */
  const sibling = (c: Check, results: readonly string[], against: "reference" = "reference") =>
    checks.find((x) =>
      x.about?.against === against && x.about.probe === c.about?.probe && results.includes(x.about.result)
    );
  const errorFor = (c: Check, error: ProbeError): Finding => {
    const own = probeErrorFinding(error.message);
    if (own) return own;
    if (c.about?.onError) return { id: c.about.onError, says: c.about.onError };
    // A forward of the wrong shape hands backward a gradOutput of that shape.
    const forward = sibling(c, ["output", "loss"]);
    const f = forward && done.get(forward.id);
    const fe = forward && left.get(forward.id)?.evidence;
    if (
      f?.diagnosis && fe && fe.got.shape.join() !== fe.expected.shape.join() && !/forward/.test(error.step)
    ) {
      return {
        id: f.signature ?? f.diagnosis,
        says: `${error.step} throws after a forward of the wrong shape: ${f.diagnosis}`,
      };
    }
    // A check that reads another result of a probe that stopped says what its reference checks say.
    if (c.about?.against !== "reference") {
      const first = checks.find((x) =>
        x.about?.against === "reference" && x.about.probe === c.about?.probe &&
        left.get(x.id)?.error?.message === error.message && done.get(x.id)?.diagnosis
      );
      const d = first && done.get(first.id)!;
      if (d?.diagnosis) return { id: d.signature ?? d.diagnosis, says: d.diagnosis };
    }
    const shapes = shapeErrorFinding(error.message, constantsOf(c));
    const s = split(c, checks, status, "threw");
    const where = s && `it throws ${s.wrong}, not ${s.right}`;
    if (shapes) return { id: shapes.id, says: join(shapes.says, where) };
    if (where) return { id: CROSS_PATTERNS.split, says: where };
    return { id: UNNAMED.threw, says: `${error.step} throws on this case: ${error.name}` };
  };
  /** When the other results of the same case are right: which formula alone is off. */
  const onlyThis = (c: Check): string | undefined => {
    const a = c.about;
    if (a?.against !== "reference") return undefined;
    const gradInput = sibling(c, ["gradInput"]);
    if (!gradInput || gradInput.id === c.id || status(gradInput.id) !== "ok") return undefined;
    return a.result === "output" || a.result === "loss"
      ? `gradInput is right on this case but the ${a.result} is not: only the forward's formula is off`
      : `gradInput is right on this case, so gradOutput reaches the layer: only ${a.result}'s formula is off`;
  };
  const findingFor = (c: Check, r: CheckResult): Finding => {
    const l = left.get(c.id);
    if (l?.error) return errorFor(c, l.error);
    const a = c.about;
    if (a?.against === "numeric") {
      const same = sibling(c, [a.result]);
      const forward = sibling(c, ["output", "loss"]);
      const s = same && (done.get(same.id) ?? byId.get(same.id));
      if (s?.status === "failed" && s.diagnosis && !s.blockedBy) {
        return { id: s.signature ?? s.diagnosis, says: s.diagnosis };
      }
      if (s?.status === "passed" && forward && byId.get(forward.id)?.status !== "passed") {
        return {
          id: CROSS_PATTERNS.numericForward,
          says: `your ${a.result} matches the reference, so your forward is what is wrong here: ` +
            `these central differences are of your forward (see “${forward.name}”)`,
        };
      }
    }
    const primary = l?.evidence ? describeDifference(l.evidence) : undefined;
    const s = split(c, checks, status, "wrong");
    const where = s && rightWrong(s);
    if (primary) return { id: primary.id, says: join(primary.says, where) };
    if (where) return { id: CROSS_PATTERNS.split, says: where };
    const alone = onlyThis(c);
    if (alone) return { id: CROSS_PATTERNS.onlyThis, says: alone };
    const written = checks.find((x) => /unchanged$/.test(x.id) && byId.get(x.id)?.status === "failed");
    if (written && written.id !== c.id) {
      return {
        id: CROSS_PATTERNS.afterWrite,
        says:
          `a consequence of “${written.name}” failing: the calls after the first see the values it changed`,
      };
    }
    const n = l?.evidence?.got.data.length ?? 0;
    return {
      id: UNNAMED.spread,
      says: `${r.id.startsWith("numeric.") ? "a backward that does not match your forward: " : ""}${
        n > 1 ? "errors all over" : "a wrong value"
      }, with no simple pattern (not a factor, a sign, a transpose, an axis or a shift): re-derive the formula`,
    };
  };
  // Reference checks first (forward before the rest): a central-difference or contract check may take the
  // diagnosis of a reference check of its probe.
  const order = (c: Check) =>
    c.about?.against !== "reference" ? 2 : c.about.result === "output" || c.about.result === "loss" ? 0 : 1;
  for (const k of [0, 1, 2]) for (const c of checks) if (order(c) === k) done.set(c.id, explainOne(c));
  return results.map((r) => done.get(r.id) ?? r);
}
