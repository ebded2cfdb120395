/**
 * Dropout: the keep rate (statistically), the 1/(1 − p) scaling, the same
 * mask in backward, a mask per element and a fresh one per forward, identity
 * in evaluation mode and at p = 0, any input shape. The exact mask is never
 * compared: how the student draws it from lib/random is theirs to choose.
 *
 * @module
 */

import { failShowing, failWith, pass, ruleCheck } from "../judge/compare.ts";
import { contractChecks, markers } from "./_layer.ts";
import { Rng } from "./_rng.ts";
import { tv } from "../judge/signatures.ts";
import {
  type Judge,
  type NamedConstant,
  type ProbeSpec,
  type TensorValue,
  tensorValue,
  type Verdict,
} from "../spec.ts";

const P = 0.3;
const ROWS = 100;
const COLS = 60;

/** A probe: forward and backward at rate `p` in `mode` on an input of `shape`; `twice` adds a second forward. */
export function dropoutProbe(
  id: string,
  p: number,
  shape: number[],
  mode: "train" | "eval",
  twice = false,
): ProbeSpec {
  return {
    id,
    plan: (seed, label = id) => {
      const rng = new Rng(seed, label);
      const n = shape.reduce((a, b) => a * b, 1);
      const input = tensorValue(shape, rng.array(n, 0.5, 1.5));
      const gradOutput = tensorValue(shape, rng.array(n, -1, 1));
      return {
        id: label,
        kind: "dropout",
        kitSeed: seed,
        settings: { p, mode, twice, markers: markers(rng) },
        inputs: { input, gradOutput },
      };
    },
  };
}

const probes: ProbeSpec[] = [
  dropoutProbe("train", P, [ROWS, COLS], "train", true),
  dropoutProbe("eval", P, [8, 5], "eval"),
  dropoutProbe("p0", 0, [8, 5], "train"),
  dropoutProbe("image", 0.5, [2, 3, 4, 4], "train"),
];

function values(j: Judge, probe: string) {
  const x = tv(j.plan(probe, "input"));
  const y = tv(j.student(probe, "output"));
  if (y.shape.join() !== x.shape.join()) {
    throw new ShapeProblem(
      `output has shape [${y.shape.join(", ")}], expected [${x.shape.join(", ")}] (seed ${j.seed})`,
    );
  }
  return { x, y };
}

class ShapeProblem extends Error {}

function guarded(f: (j: Judge) => Verdict): (j: Judge) => Verdict {
  return (j) => {
    try {
      return f(j);
    } catch (e) {
      if (e instanceof ShapeProblem) return failWith(e.message);
      throw e;
    }
  };
}

function keptFraction(x: TensorValue, y: TensorValue): number {
  let kept = 0;
  for (let i = 0; i < y.data.length; i++) if (y.data[i] !== 0) kept++;
  return kept / x.data.length;
}

/** The numbers of a dropout probe at rate `p` a wrong factor might be. */
export function rates(p: number): NamedConstant[] {
  return p > 0 ? [{ value: 1 - p, symbol: "1 − p" }, { value: p, symbol: "p" }] : [];
}

/** The elements of `t` at `at`, as a 1-D value. */
function at(t: TensorValue, where: readonly number[]): TensorValue {
  return { shape: [where.length], data: Float64Array.from(where, (i) => t.data[i]) };
}

function identity(probe: string, what: string, id: string, name: string, mode: string) {
  return ruleCheck({
    id,
    name,
    points: 2,
    anchored: true,
    about: { result: "identity", against: "reference", probe, traits: { mode } },
    judge: guarded((j) => {
      const { x, y } = values(j, probe);
      const r = tv(j.plan(probe, "gradOutput"));
      const g = tv(j.student(probe, "gradInput"));
      const p = j.planSetting(probe, "p") as number;
      const constants = rates(p > 0 ? p : P);
      for (let i = 0; i < x.data.length; i++) {
        // `!(… <= …)`: a NaN fails too.
        if (!(Math.abs(y.data[i] - x.data[i]) <= 1e-12 * Math.abs(x.data[i]))) {
          return failShowing(
            `output at flat index ${i}: got ${y.data[i]}, expected the input ${x.data[i]} (seed ${j.seed})`,
            { what: "the output", got: y, expected: x, constants },
            `${what}: Dropout must be the identity`,
          );
        }
        if (!(Math.abs(g.data[i] - r.data[i]) <= 1e-12 * Math.abs(r.data[i]))) {
          return failShowing(
            `gradInput at flat index ${i}: got ${g.data[i]}, expected gradOutput ${
              r.data[i]
            } (seed ${j.seed})`,
            { what: "gradInput", got: g, expected: r, constants },
            `${what}: backward must pass gradOutput through unchanged`,
          );
        }
      }
      return pass;
    }),
  });
}

/** What a kept fraction far from 1 − p says. */
export const KEEP = {
  keepP: "p was used as the probability to keep",
  half: "about half is kept whatever p is: the p given to the constructor is not used (0.5 instead?)",
};

/** True when most rows of `y` (`rows` × `cols`) drop exactly the elements its first row drops: one mask row for all. */
export function sharedMaskRow(y: TensorValue, rows: number, cols: number): boolean {
  let same = 0;
  for (let i = 1; i < rows; i++) {
    let all = true;
    for (let k = 0; k < cols && all; k++) all = (y.data[i * cols + k] !== 0) === (y.data[k] !== 0);
    if (all) same++;
  }
  return same > rows / 2;
}

/** Why `kept` (a fraction of `n` elements) is not 1 − p, when a known reason fits. */
export function keepReason(kept: number, p: number, n: number): string | undefined {
  const near = (q: number) => Math.abs(kept - q) <= 5 * Math.sqrt(Math.max(q * (1 - q), 1e-4) / n);
  if (near(p)) return KEEP.keepP;
  if (near(0.5)) return KEEP.half;
  return undefined;
}

const MASK = {
  ignored: "backward ignores the mask (gradInput = gradOutput)",
  unscaled: "backward forgets the 1/(1 − p) scaling",
  fresh: "backward draws a new mask instead of reusing the forward's",
};

/** What a mask drawn per sample or per feature looks like (the hidden part says it too). */
export const PER = {
  sample: "one mask value per sample (row) instead of per element",
  feature: "one mask row is shared by every sample",
};

const ONCE = "the mask is drawn once (in the constructor) and reused";

const SCALING = {
  missing: "the 1/(1 − p) scaling is missing",
  times: "kept elements were multiplied by (1 − p) instead of divided",
};

/** The spec. */
export const spec = {
  lesson: "dropout",
  probes,
  checks: [
    ruleCheck({
      id: "train.keep-rate",
      name: `about 1 − p = ${1 - P} of the elements are kept (p = ${P}, ${ROWS * COLS} elements)`,
      points: 3,
      gate: ["train.scaling"],
      signatures: [...Object.values(KEEP), PER.feature],
      judge: guarded((j) => {
        const { x, y } = values(j, "train");
        const f = keptFraction(x, y);
        const sigma = Math.sqrt(P * (1 - P) / x.data.length);
        if (Math.abs(f - (1 - P)) <= 5 * sigma) return pass;
        const msg = `kept ${(100 * f).toFixed(1)}% of the elements, expected ${100 * (1 - P)}% ± ${
          (500 * sigma).toFixed(1)
        }% (seed ${j.seed})`;
        const why = sharedMaskRow(y, ROWS, COLS) ? PER.feature : keepReason(f, P, x.data.length);
        return failWith(
          msg,
          why,
          why === KEEP.keepP
            ? "SPEC.md: p is the probability to drop; keep with probability 1 − p"
            : "Keep each element independently with probability 1 − p (random() < 1 − p)",
        );
      }),
    }),
    ruleCheck({
      id: "train.scaling",
      name: "kept elements are scaled by 1/(1 − p)",
      points: 3,
      anchored: true,
      signatures: Object.values(SCALING),
      judge: guarded((j) => {
        const { x, y } = values(j, "train");
        // Anchored only if there is something to check: a tenth of the elements at least must be kept
        // (keep-rate judges the exact share), so an output of zeros with one scaled element proves nothing.
        const kept = y.data.filter((v) => v !== 0).length;
        if (kept < 0.1 * y.data.length) {
          return failShowing(
            `${kept} of ${y.data.length} outputs are non-zero: too few kept to check the scaling (p = ${P}, seed ${j.seed})`,
            { what: "the output", got: y, expected: x },
            "Keep each element with probability 1 − p and scale the kept ones by 1/(1 − p)",
          );
        }
        for (let i = 0; i < x.data.length; i++) {
          if (y.data[i] === 0) continue;
          const want = x.data[i] / (1 - P);
          if (Math.abs(y.data[i] - want) <= 1e-9 * Math.abs(want)) continue;
          const ratio = y.data[i] / x.data[i];
          const msg = `output at flat index ${i}: got ${y.data[i].toPrecision(5)}, expected ${
            want.toPrecision(5)
          } (input × ${(1 / (1 - P)).toPrecision(4)}; seed ${j.seed})`;
          const hint =
            "Inverted dropout: output = input ⊙ mask / (1 − p), so the expected output equals the input";
          if (Math.abs(ratio - 1) < 1e-9) return failWith(msg, SCALING.missing, hint);
          if (Math.abs(ratio - (1 - P)) < 1e-9) return failWith(msg, SCALING.times, hint);
          const kept = [...y.data.keys()].filter((k) => y.data[k] !== 0);
          return failShowing(msg, {
            what: "the kept outputs",
            got: at(y, kept),
            expected: { shape: [kept.length], data: at(x, kept).data.map((v) => v / (1 - P)) },
            constants: rates(P),
          }, hint);
        }
        return pass;
      }),
    }),
    ruleCheck({
      id: "train.same-mask",
      name: "backward uses the mask of the forward it follows",
      points: 3,
      gate: ["train.scaling"],
      signatures: Object.values(MASK),
      judge: guarded((j) => {
        const { x, y } = values(j, "train");
        const r = tv(j.plan("train", "gradOutput"));
        const g = tv(j.student("train", "gradInput"));
        if (g.shape.join() !== x.shape.join()) {
          return failWith(`gradInput has shape [${g.shape}], expected [${x.shape}] (seed ${j.seed})`);
        }
        let ignored = true;
        let unscaled = true;
        let bad = -1;
        for (let i = 0; i < x.data.length; i++) {
          const want = r.data[i] * (y.data[i] / x.data[i]);
          if (g.data[i] !== r.data[i]) ignored = false;
          if (Math.abs(g.data[i] - (y.data[i] !== 0 ? r.data[i] : 0)) > 1e-12) unscaled = false;
          if (bad < 0 && !(Math.abs(g.data[i] - want) <= 1e-9 * Math.max(1e-9, Math.abs(want)))) bad = i;
        }
        if (bad < 0) return pass;
        const want = r.data[bad] * (y.data[bad] / x.data[bad]);
        const msg = `gradInput at flat index ${bad}: got ${g.data[bad].toPrecision(5)}, expected ${
          want.toPrecision(5)
        } (seed ${j.seed})`;
        if (ignored) {
          return failWith(
            msg,
            MASK.ignored,
            "gradInput = gradOutput ⊙ mask / (1 − p), with the forward's mask",
          );
        }
        if (unscaled) {
          return failWith(
            msg,
            MASK.unscaled,
            "Scale gradInput by 1/(1 − p) like the output",
          );
        }
        return failWith(
          msg,
          MASK.fresh,
          "Keep the mask from updateOutput in a field and use it in updateGradInput",
        );
      }),
    }),
    ruleCheck({
      id: "train.per-element",
      name: "the mask is drawn per element (not per sample or per feature)",
      points: 2,
      gate: ["train.scaling"],
      signatures: Object.values(PER),
      judge: guarded((j) => {
        const { y } = values(j, "train");
        let mixedRows = 0;
        for (let i = 0; i < ROWS; i++) {
          let kept = 0;
          for (let k = 0; k < COLS; k++) if (y.data[i * COLS + k] !== 0) kept++;
          if (kept > 0 && kept < COLS) mixedRows++;
        }
        let sameAsFirst = 0;
        for (let i = 1; i < ROWS; i++) {
          let same = true;
          for (let k = 0; k < COLS; k++) if ((y.data[i * COLS + k] !== 0) !== (y.data[k] !== 0)) same = false;
          if (same) sameAsFirst++;
        }
        if (mixedRows < ROWS / 2) {
          return failWith(
            `only ${mixedRows} of ${ROWS} rows mix kept and dropped elements (seed ${j.seed})`,
            PER.sample,
            "Draw one random number per element of the input",
          );
        }
        if (sameAsFirst > ROWS / 2) {
          return failWith(
            `${sameAsFirst} of ${ROWS - 1} rows repeat the first row's mask (seed ${j.seed})`,
            PER.feature,
            "Draw one random number per element of the input, not per feature",
          );
        }
        return pass;
      }),
    }),
    ruleCheck({
      id: "train.fresh-mask",
      name: "each forward draws a new mask",
      points: 1,
      gate: ["train.scaling"],
      signatures: [ONCE],
      judge: guarded((j) => {
        const { y } = values(j, "train");
        const y2 = tv(j.student("train", "output2"));
        let differ = 0;
        for (let i = 0; i < y.data.length; i++) if ((y.data[i] !== 0) !== (y2.data[i] !== 0)) differ++;
        return differ > 0 ? pass : failWith(
          `two forwards on the same input dropped exactly the same elements (seed ${j.seed})`,
          ONCE,
          "Draw a fresh mask in every training-mode forward",
        );
      }),
    }),
    identity(
      "eval",
      "In evaluation mode",
      "eval.identity",
      "evaluation mode is the identity (forward and backward)",
      "in evaluation mode",
    ),
    identity("p0", "With p = 0", "p0.identity", "p = 0 is the identity in training mode", "at p = 0"),
    ...contractChecks(
      [
        { id: "train", label: `a [${ROWS}, ${COLS}] batch in training mode` },
        { id: "eval", label: "a [8, 5] batch in evaluation mode" },
        { id: "p0", label: "a [8, 5] batch at p = 0" },
        { id: "image", label: "a [2, 3, 4, 4] batch" },
      ],
      1,
      ["train.scaling", "eval.identity"],
    ),
    ruleCheck({
      id: "image.any-shape",
      name: "works on a [2, 3, 4, 4] input (after a Conv2d)",
      points: 2,
      anchored: true,
      signatures: Object.values(KEEP),
      judge: guarded((j) => {
        const { x, y } = values(j, "image");
        const g = tv(j.student("image", "gradInput"));
        if (g.shape.join() !== x.shape.join()) {
          return failWith(`gradInput has shape [${g.shape}], expected [${x.shape}] (seed ${j.seed})`);
        }
        const kept = [...y.data.keys()].filter((k) => y.data[k] !== 0);
        for (const i of kept) {
          // `!(… <= …)`: a NaN fails too.
          if (!(Math.abs(y.data[i] - 2 * x.data[i]) <= 1e-9)) {
            return failShowing(
              `output at flat index ${i}: got ${y.data[i]}, expected 0 or ${
                2 * x.data[i]
              } (p = 0.5, seed ${j.seed})`,
              {
                what: "the kept outputs",
                got: at(y, kept),
                expected: { shape: [kept.length], data: at(x, kept).data.map((v) => 2 * v) },
                constants: rates(0.5),
              },
            );
          }
        }
        const f = keptFraction(x, y);
        return f > 0.2 && f < 0.8 ? pass : failWith(
          `kept ${(100 * f).toFixed(0)}% of 96 elements at p = 0.5 (seed ${j.seed})`,
          keepReason(f, 0.5, 96),
        );
      }),
    }),
  ],
};
