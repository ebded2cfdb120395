/**
 * The lesson manifest: the one ordered list of lessons that the grader, the
 * README, the watch/list/hint tools and the trainer all read.
 *
 * The order is the teaching order. It follows the seed course's lessons but
 * puts each finished worked example first in its group (STYLE.md), so a
 * student meets the conventions in working code before writing their own:
 *
 * 1. elementwise activations: ReLU (given), LeakyReLU, ELU, SoftPlus;
 * 2. layers with parameters: ChannelwiseScaling (given), Linear, then
 *    Sequential, which chains what the student has so far;
 * 3. row-wise normalisations: SoftMax, LogSoftMax;
 * 4. train/eval layers: BatchNormalization, Dropout;
 * 5. criterions: MSECriterion (given), ClassNLLCriterionUnstable, ClassNLLCriterion;
 * 6. optimizers: sgdMomentum (given), adamOptimizer;
 * 7. image layers: Flatten (given), Conv2d, MaxPool2d.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findLesson, LESSONS } from "./manifest.ts";
 * assert.equal(LESSONS.length, 19);
 * assert.deepEqual(findLesson("linear").exports, ["Linear"]);
 * assert.throws(() => findLesson("lineer"), /did you mean "linear"/);
 * ```
 *
 * @module
 */

/** One lesson: a module (or optimizer) the student writes, graded on its own. */
export interface Lesson {
  /** The position in the teaching order, 1-based. */
  order: number;
  /** The short CLI name, as in `deno task grade linear`; the file name without `.ts`. */
  name: string;
  /** A human title, e.g. "Linear layer". */
  title: string;
  /** The module file, relative to `lessons/` (the stub) and `solutions/` (the reference). */
  file: string;
  /** The names the file exports (and `mod.ts` re-exports). */
  exports: readonly string[];
  /** What the lesson teaches, in one line. */
  teaches: string;
  /** True for a finished worked example (no TODO in the stub). */
  given: boolean;
  /** The lesson guide, relative to `lessons/`. */
  guide: string;
}

type Entry = Omit<Lesson, "order" | "file" | "guide">;

const ENTRIES: readonly Entry[] = [
  {
    name: "relu",
    title: "ReLU",
    exports: ["ReLU"],
    teaches: "the Module protocol on the simplest layer: forward, backward, gradient at a kink",
    given: true,
  },
  {
    name: "leaky_relu",
    title: "Leaky ReLU",
    exports: ["LeakyReLU"],
    teaches: "an elementwise derivative with a constructor argument (the negative slope)",
    given: false,
  },
  {
    name: "elu",
    title: "ELU",
    exports: ["ELU"],
    teaches: "a smooth activation whose derivative reuses the forward result",
    given: false,
  },
  {
    name: "softplus",
    title: "SoftPlus",
    exports: ["SoftPlus"],
    teaches: "numerical stability: log(1 + eˣ) without overflow, and its sigmoid gradient",
    given: false,
  },
  {
    name: "channelwise_scaling",
    title: "Channelwise scaling",
    exports: ["ChannelwiseScaling"],
    teaches: "parameters and their gradients: accumulate with +=, sum over the batch",
    given: true,
  },
  {
    name: "linear",
    title: "Linear layer",
    exports: ["Linear"],
    teaches: "the fully connected layer: matrix products forward and backward, gradW and gradb",
    given: false,
  },
  {
    name: "sequential",
    title: "Sequential container",
    exports: ["Sequential"],
    teaches: "the chain rule across modules: forward in order, backward in reverse with each module's input",
    given: false,
  },
  {
    name: "softmax",
    title: "SoftMax",
    exports: ["SoftMax"],
    teaches: "a row-wise Jacobian-vector product, and the max shift for stability",
    given: false,
  },
  {
    name: "log_softmax",
    title: "LogSoftMax",
    exports: ["LogSoftMax"],
    teaches: "log-sum-exp computed stably, and its simpler backward",
    given: false,
  },
  {
    name: "batch_normalization",
    title: "Batch normalization",
    exports: ["BatchNormalization"],
    teaches:
      "batch statistics in training, moving averages in evaluation, and a backward through the mean and variance",
    given: false,
  },
  {
    name: "dropout",
    title: "Dropout",
    exports: ["Dropout"],
    teaches: "a random mask drawn in forward and reused in backward, inverted scaling, train versus eval",
    given: false,
  },
  {
    name: "mse_criterion",
    title: "Mean squared error",
    exports: ["MSECriterion"],
    teaches: "the Criterion protocol: a loss that returns a number and divides by the batch size",
    given: true,
  },
  {
    name: "class_nll_criterion_unstable",
    title: "Negative log-likelihood on probabilities",
    exports: ["ClassNLLCriterionUnstable"],
    teaches: "cross-entropy on probabilities, and why it needs clipping",
    given: false,
  },
  {
    name: "class_nll_criterion",
    title: "Negative log-likelihood on log-probabilities",
    exports: ["ClassNLLCriterion"],
    teaches: "the stable cross-entropy: LogSoftMax followed by a linear loss",
    given: false,
  },
  {
    name: "sgd_momentum",
    title: "SGD with momentum",
    exports: ["sgdMomentum"],
    teaches: "the optimizer protocol: in-place updates, state kept between calls",
    given: true,
  },
  {
    name: "adam_optimizer",
    title: "Adam",
    exports: ["adamOptimizer"],
    teaches: "moment estimates with a bias-corrected step size",
    given: false,
  },
  {
    name: "flatten",
    title: "Flatten",
    exports: ["Flatten"],
    teaches: "a reshape between image layers and dense layers, undone in backward",
    given: true,
  },
  {
    name: "conv2d",
    title: "2-D convolution",
    exports: ["Conv2d"],
    teaches: "cross-correlation with same padding, forward and backward, over batches and channels",
    given: false,
  },
  {
    name: "max_pool2d",
    title: "2-D max pooling",
    exports: ["MaxPool2d"],
    teaches: "routing the gradient to the first maximum of each window",
    given: false,
  },
];

/** Every lesson, in teaching order (`order` is 1-based and matches the index + 1). */
export const LESSONS: readonly Lesson[] = Object.freeze(
  ENTRIES.map((e, i) =>
    Object.freeze({
      order: i + 1,
      name: e.name,
      title: e.title,
      file: `${e.name}.ts`,
      exports: Object.freeze([...e.exports]),
      teaches: e.teaches,
      given: e.given,
      guide: `${e.name}.md`,
    })
  ),
);

/** The edit distance between `a` and `b` (insertions, deletions, substitutions, transpositions). */
function _distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** A name in the manifest's spelling: lower case, `-` and spaces as `_`, no `.ts`. */
function _normalise(name: string): string {
  return name.trim().toLowerCase().replace(/\.ts$/, "").replace(/[-\s]+/g, "_");
}

/**
 * The closest lesson name to `name`, when it is close enough to be a typo or
 * another spelling (`BatchNorm`, `batch-normalization`, `conv`); else undefined.
 */
function _suggest(name: string): string | undefined {
  const wanted = _normalise(name);
  const squashed = wanted.replace(/_/g, "");
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const lesson of LESSONS) {
    const candidate = lesson.name.replace(/_/g, "");
    const exportName = lesson.exports[0].toLowerCase();
    if (squashed === candidate || squashed === exportName) return lesson.name;
    const distance = Math.min(_distance(squashed, candidate), _distance(squashed, exportName));
    if (distance < bestDistance) {
      bestDistance = distance;
      best = lesson.name;
    }
  }
  if (bestDistance <= Math.max(2, Math.floor(squashed.length / 4))) return best;
  const prefixed = LESSONS.filter((l) =>
    squashed.length >= 3 && l.name.replace(/_/g, "").startsWith(squashed)
  );
  return prefixed.length === 1 ? prefixed[0].name : undefined;
}

/**
 * The lesson called `name` (its CLI name, e.g. `"batch_normalization"`).
 *
 * @throws {TypeError} when `name` is not a string.
 * @throws {RangeError} for an unknown name; the message lists the valid names
 * and suggests the closest one when `name` looks like a typo.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findLesson } from "./manifest.ts";
 * assert.equal(findLesson("max_pool2d").title, "2-D max pooling");
 * assert.throws(() => findLesson("batchnorm"), /did you mean "batch_normalization"/);
 * ```
 */
export function findLesson(name: string): Lesson {
  if (typeof name !== "string") {
    throw new TypeError(`Cannot find lesson: expected a lesson name (a string), received ${typeof name}`);
  }
  const lesson = LESSONS.find((l) => l.name === name);
  if (lesson) return lesson;
  const suggestion = _suggest(name);
  const names = LESSONS.map((l) => l.name).join(", ");
  throw new RangeError(
    suggestion === undefined
      ? `Unknown lesson "${name}": valid names are ${names}`
      : `Unknown lesson "${name}": did you mean "${suggestion}"? Valid names are ${names}`,
  );
}

/**
 * The lessons table as Markdown (order, name, file, what it teaches, given?),
 * as `lessons/README.md` and the top README show it. Links to the guides and
 * files are relative to `base`: `""` from `lessons/`, `"lessons/"` from the
 * repository root.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lessonsTable } from "./manifest.ts";
 * const rows = lessonsTable("lessons/").split("\n");
 * assert.equal(rows.length, 2 + 19);
 * assert.match(rows[0], /^\| +# \| lesson +\| file +\| what it teaches +\| given\? \|$/);
 * assert.match(rows[2], /^\| +1 \| \[relu\]\(lessons\/relu\.md\) +\| \[relu\.ts\]\(lessons\/relu\.ts\) +\|/);
 * ```
 */
export function lessonsTable(base = ""): string {
  const header = ["#", "lesson", "file", "what it teaches", "given?"];
  const align = ["right", "left", "left", "left", "center"] as const;
  const rows = LESSONS.map((l) => [
    String(l.order),
    `[${l.name}](${base}${l.guide})`,
    `[${l.file}](${base}${l.file})`,
    l.teaches,
    l.given ? "yes" : "",
  ]);
  // Padded and aligned the way `deno fmt` lays out Markdown tables, so the output is stable under it.
  const width = (s: string) => [...s].length;
  const widths = header.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c]))));
  const pad = (s: string, c: number) => {
    const room = widths[c] - width(s);
    if (align[c] === "right") return " ".repeat(room) + s;
    if (align[c] === "center") return " ".repeat(Math.floor(room / 2)) + s + " ".repeat(Math.ceil(room / 2));
    return s + " ".repeat(room);
  };
  const line = (cells: string[]) => `| ${cells.map(pad).join(" | ")} |`;
  const rule = widths.map((w, c) =>
    align[c] === "right"
      ? `${"-".repeat(w - 1)}:`
      : align[c] === "center"
      ? `:${"-".repeat(w - 2)}:`
      : "-".repeat(w)
  );
  return [line(header), `| ${rule.join(" | ")} |`, ...rows.map(line)].join("\n");
}
