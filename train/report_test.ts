import assert from "node:assert/strict";
import {
  confusionMatrix,
  drawDigit,
  drawMistakes,
  formatConfusion,
  resample,
  terminalCharts,
} from "./report.ts";
import { curvesSvg } from "./plot_svg.ts";

Deno.test("confusionMatrix() counts true digits by row and predictions by column", async (t) => {
  await t.step("counts", () => {
    const actual = Int32Array.from([0, 0, 1, 2, 2, 2]);
    const predicted = Int32Array.from([0, 1, 1, 2, 0, 2]);
    assert.deepEqual(confusionMatrix(predicted, actual, 3), [[1, 1, 0], [0, 1, 0], [1, 0, 2]]);
  });
  await t.step("bad input", () => {
    assert.throws(() => confusionMatrix(Int32Array.from([1]), Int32Array.from([1, 2])), {
      name: "RangeError",
      message: "Cannot build a confusion matrix: 1 predictions for 2 labels",
    });
    assert.throws(
      () => confusionMatrix(Int32Array.from([3]), Int32Array.from([0]), 3),
      /classes in \[0, 3\)/,
    );
  });
});

Deno.test("formatConfusion() shows counts, dots for zeros and the recall of each digit", () => {
  const text = formatConfusion([[3, 1], [0, 4]]);
  const lines = text.split("\n");
  assert.equal(lines.length, 3);
  assert.match(lines[1], /^\s+0\s+3\s+1\s+75\.0%$/);
  assert.match(lines[2], /^\s+1\s+\.\s+4\s+100\.0%$/);
});

Deno.test("drawDigit() shades a 28×28 image in 14 lines of 28 characters", () => {
  const pixels = new Float64Array(784);
  for (let r = 0; r < 28; r++) pixels[r * 28 + 14] = 1; // a vertical stroke
  const lines = drawDigit(pixels);
  assert.equal(lines.length, 14);
  for (const line of lines) {
    assert.equal(line.length, 28);
    assert.equal(line[14], "@");
    assert.equal(line.replaceAll(" ", "").length, 1);
  }
  assert.throws(() => drawDigit(new Float64Array(10)), {
    name: "RangeError",
    message: /expected 784 pixels, received 10/,
  });
});

Deno.test("drawMistakes() puts digits side by side with their labels", () => {
  const pixels = new Float64Array(784).fill(1);
  const text = drawMistakes([{ pixels, actual: 4, predicted: 9 }, { pixels, actual: 3, predicted: 5 }]);
  const lines = text.split("\n");
  assert.match(lines[0], /^true 4, predicted 9\s+\| true 3, predicted 5$/);
  assert.equal(lines.length, 15);
});

Deno.test("resample() averages slices down to the width", () => {
  assert.deepEqual(resample([1, 3, 5, 7], 2), [2, 6]);
  assert.deepEqual(resample([1, 2], 5), [1, 2]);
});

Deno.test("terminalCharts() draws both curves with their titles", () => {
  const text = terminalCharts([2.3, 1.5, 0.9, 0.5, 0.4], [0.9, 0.95]);
  assert.match(text, /training loss/);
  assert.match(text, /validation accuracy %/);
  assert.match(text, / 2\.300 ┼/); // the top label is the first (largest) loss
  assert.match(text, /95\.00 ┤/);
});

Deno.test("curvesSvg() draws every series, with a legend, deterministically", () => {
  const curves = {
    title: "mlp <test>",
    subtitle: "Linear 784 -> 10",
    batchLoss: Array.from({ length: 40 }, (_, i) => 2 / (1 + i)),
    batchesPerEpoch: 20,
    trainLoss: [1, 0.5],
    validationLoss: [0.8, 0.6],
    validationAccuracy: [0.9, 0.93],
    testAccuracy: 0.925,
  };
  const svg = curvesSvg(curves);
  assert.equal(svg, curvesSvg(curves));
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /mlp &lt;test&gt;/, "text is escaped");
  for (
    const name of [
      "training (batches)",
      "training (epoch mean)",
      "validation",
      "validation accuracy",
      "test 92.50%",
    ]
  ) {
    assert.ok(svg.includes(`>${name}</text>`), `legend entry ${name}`);
  }
  // Five curves: smoothed batches, epoch means, validation loss, validation accuracy, test line.
  assert.equal(svg.match(/<path /g)?.length, 5);
  assert.ok(svg.trimEnd().endsWith("</svg>"));
});
