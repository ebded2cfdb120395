/**
 * Loss and accuracy curves as an SVG file: two panels, x in epochs. Written
 * by hand (a few dozen elements) rather than with a plotting package: it
 * needs no browser, no fonts and no permission but writing the file, and the
 * output is byte-for-byte deterministic.
 *
 * @example
 * ```ts
 * import { curvesSvg } from "./plot_svg.ts";
 * const svg = curvesSvg({
 *   title: "mlp",
 *   batchLoss: [2.3, 1.2, 0.8, 0.5],
 *   batchesPerEpoch: 2,
 *   trainLoss: [1.7, 0.6],
 *   validationLoss: [0.9, 0.5],
 *   validationAccuracy: [0.8, 0.9],
 * });
 * console.assert(svg.startsWith("<svg") && svg.includes("validation accuracy"));
 * ```
 *
 * @module
 */

/** The curves of one run. */
export interface Curves {
  /** Title above the panels. */
  title: string;
  /** A smaller second line under the title (e.g. the architecture). */
  subtitle?: string;
  /** Loss of every training batch, in order. */
  batchLoss: readonly number[];
  /** Batches per epoch (to put batches on the epoch axis). */
  batchesPerEpoch: number;
  /** Mean training loss per epoch. */
  trainLoss: readonly number[];
  /** Validation loss per epoch. */
  validationLoss: readonly number[];
  /** Validation accuracy (0–1) per epoch. */
  validationAccuracy: readonly number[];
  /** Test accuracy at the end, drawn as a dashed line when given. */
  testAccuracy?: number;
}

const W = 460;
const H = 320;
const M = { left: 56, right: 16, top: 36, bottom: 70 };

interface _Series {
  name: string;
  colour: string;
  points: [number, number][];
  dots?: boolean;
  dashed?: boolean;
}

function _esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function _ticks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => span / s <= count) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toFixed(10));
  return out;
}

function _panel(
  x0: number,
  title: string,
  yLabel: string,
  series: _Series[],
  yFormat: (v: number) => string,
): string {
  const all = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const xMax = Math.max(1, ...xs);
  let yLo = Math.min(...ys);
  let yHi = Math.max(...ys);
  if (!Number.isFinite(yLo)) [yLo, yHi] = [0, 1];
  if (yHi - yLo < 1e-9) [yLo, yHi] = [yLo - 0.5, yHi + 0.5];
  const pad = (yHi - yLo) * 0.05;
  yLo -= pad;
  yHi += pad;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (x: number) => x0 + M.left + (x / xMax) * pw;
  const sy = (y: number) => M.top + (1 - (y - yLo) / (yHi - yLo)) * ph;
  const out: string[] = [];
  out.push(`<rect x="${x0 + M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="#fff" stroke="#999"/>`);
  for (const t of _ticks(yLo, yHi, 5)) {
    const y = sy(t).toFixed(1);
    out.push(`<line x1="${x0 + M.left}" x2="${x0 + M.left + pw}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    out.push(
      `<text x="${x0 + M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${
        yFormat(t)
      }</text>`,
    );
  }
  for (const t of _ticks(0, xMax, Math.min(10, xMax))) {
    const x = sx(t).toFixed(1);
    out.push(`<text x="${x}" y="${M.top + ph + 16}" text-anchor="middle">${t}</text>`);
  }
  out.push(`<text x="${x0 + M.left + pw / 2}" y="${M.top + ph + 32}" text-anchor="middle">epoch</text>`);
  out.push(
    `<text transform="translate(${x0 + 14} ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${
      _esc(yLabel)
    }</text>`,
  );
  out.push(`<text x="${x0 + M.left}" y="${M.top - 10}" font-weight="bold">${_esc(title)}</text>`);
  let lx = x0 + M.left;
  series.forEach((s) => {
    const pts = s.points.filter(([, y]) => Number.isFinite(y));
    if (pts.length === 0) return;
    const d = pts.map(([x, y], j) => `${j === 0 ? "M" : "L"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(
      "",
    );
    out.push(
      `<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="1.5"${
        s.dashed ? ' stroke-dasharray="5 4"' : ""
      }/>`,
    );
    if (s.dots) {
      for (const [x, y] of pts) {
        out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5" fill="${s.colour}"/>`);
      }
    }
    // The legend runs along the bottom, outside the plot, so it never hides a curve.
    const ly = H - 12;
    out.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${ly}" y2="${ly}" stroke="${s.colour}" stroke-width="2"/>`,
    );
    out.push(`<text x="${lx + 24}" y="${ly}" dominant-baseline="middle">${_esc(s.name)}</text>`);
    lx += 36 + 6 * s.name.length;
  });
  return out.join("\n");
}

/** `text` cut after ", " separators into lines of at most about `width` characters. */
function _wrap(text: string, width: number): string[] {
  if (text === "") return [];
  const lines: string[] = [];
  let line = "";
  for (const part of text.split(/(?<=, )/)) {
    if (line !== "" && line.length + part.length > width) {
      lines.push(line.trimEnd());
      line = "";
    }
    line += part;
  }
  lines.push(line.trimEnd());
  return lines;
}

/** The SVG document for `c`: loss on the left, accuracy on the right. */
export function curvesSvg(c: Curves): string {
  const perEpoch = Math.max(1, c.batchesPerEpoch);
  // Smooth the batch losses over a tenth of an epoch, so the line shows the trend, not the noise.
  const window = Math.max(1, Math.round(perEpoch / 10));
  const smooth: [number, number][] = [];
  for (let i = window - 1; i < c.batchLoss.length; i += window) {
    let s = 0;
    for (let j = i - window + 1; j <= i; j++) s += c.batchLoss[j];
    smooth.push([(i + 1) / perEpoch, s / window]);
  }
  const epochs = (values: readonly number[]) => values.map((v, i) => [i + 1, v] as [number, number]);
  const loss = _panel(0, "loss", "loss", [
    { name: "training (batches)", colour: "#9ecae1", points: smooth },
    { name: "training (epoch mean)", colour: "#08519c", points: epochs(c.trainLoss), dots: true },
    { name: "validation", colour: "#e6550d", points: epochs(c.validationLoss), dots: true },
  ], (v) => v.toFixed(2));
  const accSeries: _Series[] = [
    {
      name: "validation accuracy",
      colour: "#e6550d",
      points: epochs(c.validationAccuracy.map((a) => 100 * a)),
      dots: true,
    },
  ];
  if (c.testAccuracy !== undefined && c.validationAccuracy.length > 0) {
    const n = c.validationAccuracy.length;
    accSeries.push({
      name: `test ${(100 * c.testAccuracy).toFixed(2)}%`,
      colour: "#31a354",
      points: [[1, 100 * c.testAccuracy], [n, 100 * c.testAccuracy]],
      dashed: true,
    });
  }
  const acc = _panel(W, "accuracy", "accuracy %", accSeries, (v) => v.toFixed(1));
  // The subtitle (an architecture can be long) wraps at commas into lines of about 150 characters.
  const sub = _wrap(c.subtitle ?? "", 150);
  const top = 26 + 13 * sub.length;
  const h = H + top;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${h}" viewBox="0 ${-top} ${
      2 * W
    } ${h}"` +
    ` font-family="sans-serif" font-size="11">`,
    `<rect x="0" y="${-top}" width="${2 * W}" height="${h}" fill="#fafafa"/>`,
    `<text x="${W}" y="${-top + 18}" text-anchor="middle" font-size="13" font-weight="bold">${
      _esc(c.title)
    }</text>`,
    ...sub.map((line, i) =>
      `<text x="${W}" y="${-top + 33 + 13 * i}" text-anchor="middle" font-size="10" fill="#555">${
        _esc(line)
      }</text>`
    ),
    loss,
    acc,
    `</svg>`,
    "",
  ].join("\n");
}

/** One run among several to compare: its name and per-epoch curves. */
export interface RunCurves {
  /** The legend's name for it. */
  name: string;
  /** Mean training loss per epoch. */
  trainLoss: readonly number[];
  /** Validation accuracy (0–1) per epoch. */
  validationAccuracy: readonly number[];
}

/** Distinct colours for compared runs (ColorBrewer Dark2). */
const RUN_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];

/**
 * Several runs overlaid: training loss per epoch on the left, validation
 * accuracy per epoch on the right, one colour per run.
 *
 * @example
 * ```ts
 * import { comparisonSvg } from "./plot_svg.ts";
 * const svg = comparisonSvg("activations", [
 *   { name: "ReLU", trainLoss: [0.5, 0.3], validationAccuracy: [0.9, 0.93] },
 *   { name: "ELU", trainLoss: [0.6, 0.35], validationAccuracy: [0.88, 0.92] },
 * ]);
 * console.assert(svg.includes(">ReLU<") && svg.includes(">ELU<"));
 * ```
 */
export function comparisonSvg(title: string, runs: readonly RunCurves[]): string {
  const epochs = (values: readonly number[], scale = 1) =>
    values.map((v, i) => [i + 1, scale * v] as [number, number]);
  const series = (pick: (r: RunCurves) => [number, number][]) =>
    runs.map((r, i) => ({
      name: r.name,
      colour: RUN_COLOURS[i % RUN_COLOURS.length],
      points: pick(r),
      dots: true,
    }));
  const loss = _panel(
    0,
    "training loss (epoch mean)",
    "loss",
    series((r) => epochs(r.trainLoss)),
    (v) => v.toFixed(2),
  );
  const acc = _panel(
    W,
    "validation accuracy",
    "accuracy %",
    series((r) => epochs(r.validationAccuracy, 100)),
    (v) => v.toFixed(1),
  );
  const top = 26;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + top}" viewBox="0 ${-top} ${
      2 * W
    } ${H + top}" font-family="sans-serif" font-size="11">`,
    `<rect x="0" y="${-top}" width="${2 * W}" height="${H + top}" fill="#fafafa"/>`,
    `<text x="${W}" y="${-top + 18}" text-anchor="middle" font-size="13" font-weight="bold">${
      _esc(title)
    }</text>`,
    loss,
    acc,
    `</svg>`,
    "",
  ].join("\n");
}

/**
 * A confusion matrix (`matrix[true][predicted]` counts) as a heat map: each
 * cell shaded by its share of the true digit's row (green on the diagonal,
 * red off it), with the count, and each row's recall on the right.
 *
 * @example
 * ```ts
 * import { confusionSvg } from "./plot_svg.ts";
 * const svg = confusionSvg([[5, 1], [0, 4]], "test");
 * console.assert(svg.includes(">83.3%<") && svg.includes(">100.0%<"));
 * ```
 */
export function confusionSvg(matrix: readonly (readonly number[])[], title: string): string {
  const n = matrix.length;
  const cell = 34;
  const left = 58;
  const top = 64;
  const width = left + n * cell + 70;
  const height = top + n * cell + 20;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fafafa"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${
      _esc(title)
    }</text>`,
    `<text x="${left + (n * cell) / 2}" y="${top - 26}" text-anchor="middle">predicted</text>`,
    `<text transform="translate(16 ${
      top + (n * cell) / 2
    }) rotate(-90)" text-anchor="middle">true digit</text>`,
    `<text x="${left + n * cell + 38}" y="${top - 8}" text-anchor="middle">recall</text>`,
  ];
  for (let j = 0; j < n; j++) {
    out.push(`<text x="${left + j * cell + cell / 2}" y="${top - 8}" text-anchor="middle">${j}</text>`);
  }
  matrix.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const y = top + i * cell;
    out.push(
      `<text x="${left - 8}" y="${y + cell / 2}" text-anchor="end" dominant-baseline="middle">${i}</text>`,
    );
    row.forEach((count, j) => {
      const share = total > 0 ? count / total : 0;
      const [r, g, b] = i === j ? [49, 163, 84] : [222, 45, 38];
      const alpha = count === 0 ? 0 : Math.max(0.08, Math.sqrt(share)).toFixed(3);
      const x = left + j * cell;
      out.push(
        `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="rgb(${r},${g},${b})" fill-opacity="${alpha}" stroke="#ddd"/>`,
      );
      if (count > 0) {
        const ink = i === j && share > 0.5 ? "#fff" : "#222";
        out.push(
          `<text x="${x + cell / 2}" y="${
            y + cell / 2
          }" text-anchor="middle" dominant-baseline="middle" fill="${ink}">${count}</text>`,
        );
      }
    });
    const recall = total > 0 ? `${((100 * row[i]) / total).toFixed(1)}%` : "-";
    out.push(
      `<text x="${left + n * cell + 38}" y="${
        y + cell / 2
      }" text-anchor="middle" dominant-baseline="middle">${recall}</text>`,
    );
  });
  out.push("</svg>", "");
  return out.join("\n");
}
