/**
 * What the trainer prints at the end: the confusion matrix, misclassified
 * digits drawn in the terminal, and the loss/accuracy curves as a terminal
 * chart (npm `asciichart`).
 *
 * @example
 * ```ts
 * import { confusionMatrix } from "./report.ts";
 * const m = confusionMatrix(Int32Array.from([0, 1, 1]), Int32Array.from([0, 1, 0]), 2);
 * console.assert(JSON.stringify(m) === "[[1,1],[0,1]]");
 * ```
 *
 * @module
 */

// @ts-types="./asciichart.d.ts"
import * as asciichart from "asciichart";

/**
 * `matrix[actual][predicted]` counts for `classes` classes.
 *
 * @throws {RangeError} when the two arrays differ in length or hold a class outside [0, classes).
 */
export function confusionMatrix(predicted: Int32Array, actual: Int32Array, classes = 10): number[][] {
  if (predicted.length !== actual.length) {
    throw new RangeError(
      `Cannot build a confusion matrix: ${predicted.length} predictions for ${actual.length} labels`,
    );
  }
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const p = predicted[i];
    if (!(a >= 0 && a < classes && p >= 0 && p < classes)) {
      throw new RangeError(
        `Cannot build a confusion matrix: expected classes in [0, ${classes}), received ${a}, ${p}`,
      );
    }
    m[a][p]++;
  }
  return m;
}

/** The confusion matrix as a table: rows are true digits, columns predicted, with per-digit recall. */
export function formatConfusion(matrix: number[][]): string {
  const width = Math.max(4, ...matrix.flat().map((v) => String(v).length + 1));
  const pad = (s: string | number) => String(s).padStart(width);
  const lines = [
    `true\\pred${matrix.map((_, j) => pad(j)).join("")}  recall`,
    ...matrix.map((row, i) => {
      const total = row.reduce((a, b) => a + b, 0);
      const recall = total > 0 ? `${(100 * row[i] / total).toFixed(1)}%` : "-";
      return `${String(i).padStart(9)}${row.map((v, j) => pad(i === j ? v : v === 0 ? "." : v)).join("")}  ${
        recall.padStart(6)
      }`;
    }),
  ];
  return lines.join("\n");
}

const _SHADES = " .:-=+*#%@";

/**
 * A 28×28 image (784 values in [0, 1], row-major) as 14 lines of 28
 * characters: each character shades the mean of two pixel rows.
 */
export function drawDigit(pixels: ArrayLike<number>, side = 28): string[] {
  if (pixels.length !== side * side) {
    throw new RangeError(`Cannot draw a digit: expected ${side * side} pixels, received ${pixels.length}`);
  }
  const lines: string[] = [];
  for (let r = 0; r < side; r += 2) {
    let line = "";
    for (let c = 0; c < side; c++) {
      const v = (pixels[r * side + c] + (r + 1 < side ? pixels[(r + 1) * side + c] : 0)) / 2;
      line += _SHADES[Math.min(_SHADES.length - 1, Math.max(0, Math.round(v * (_SHADES.length - 1))))];
    }
    lines.push(line);
  }
  return lines;
}

/** A misclassified sample to draw. */
export interface Mistake {
  pixels: ArrayLike<number>;
  actual: number;
  predicted: number;
}

/** Up to `perRow` digits side by side per block, each captioned `true 4 → 9`. */
export function drawMistakes(mistakes: readonly Mistake[], perRow = 4): string {
  const blocks: string[] = [];
  for (let i = 0; i < mistakes.length; i += perRow) {
    const group = mistakes.slice(i, i + perRow);
    const pictures = group.map((m) => drawDigit(m.pixels));
    const captions = group.map((m) => `true ${m.actual}, predicted ${m.predicted}`.padEnd(28));
    const rows = [
      captions.join("  | "),
      ...pictures[0].map((_, r) => pictures.map((p) => p[r]).join("  | ")),
    ];
    blocks.push(rows.map((r) => r.trimEnd()).join("\n"));
  }
  return blocks.join("\n\n");
}

/** `values` resampled to at most `width` points (means of equal slices), for a chart that fits. */
export function resample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * values.length) / width);
    const to = Math.floor(((i + 1) * values.length) / width);
    let s = 0;
    for (let j = from; j < to; j++) s += values[j];
    out.push(s / (to - from));
  }
  return out;
}

/**
 * The terminal chart of a run: training loss (smoothed per batch) and,
 * below it, validation accuracy per epoch, each with a title line.
 */
export function terminalCharts(
  batchLosses: readonly number[],
  validationAccuracy: readonly number[],
): string {
  const parts: string[] = [];
  if (batchLosses.length > 1) {
    parts.push(
      "training loss (running mean per batch, all epochs)",
      asciichart.plot(resample(batchLosses, 70), { height: 10, format: (x) => x.toFixed(3).padStart(8) }),
    );
  }
  if (validationAccuracy.length > 0) {
    // One column per epoch looks like a staircase; stretch each epoch over a few columns.
    const stretch = Math.max(1, Math.floor(70 / Math.max(1, validationAccuracy.length)));
    const series = validationAccuracy.flatMap((a) => new Array<number>(stretch).fill(100 * a));
    parts.push(
      "validation accuracy % (per epoch)",
      asciichart.plot(series, { height: 8, format: (x) => x.toFixed(2).padStart(8) }),
    );
  }
  return parts.join("\n");
}
