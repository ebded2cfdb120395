import assert from "node:assert/strict";
import { findLesson, LESSONS, lessonsTable } from "./manifest.ts";

const ROOT = decodeURIComponent(new URL("..", import.meta.url).pathname).replace(/\/$/, "");

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

Deno.test("LESSONS is an ordered list of distinct lessons", async (t) => {
  await t.step("numbered 1, 2, 3, … in list order", () => {
    assert.deepEqual(LESSONS.map((l) => l.order), LESSONS.map((_, i) => i + 1));
  });
  await t.step("with distinct snake_case names, files and exports", () => {
    for (const l of LESSONS) assert.match(l.name, /^[a-z][a-z0-9_]*$/, l.name);
    assert.equal(new Set(LESSONS.map((l) => l.name)).size, LESSONS.length);
    assert.equal(new Set(LESSONS.map((l) => l.file)).size, LESSONS.length);
    const exports = LESSONS.flatMap((l) => l.exports);
    assert.equal(new Set(exports).size, exports.length);
  });
  await t.step("each file and guide named after the lesson", () => {
    for (const l of LESSONS) {
      assert.equal(l.file, `${l.name}.ts`);
      assert.equal(l.guide, `${l.name}.md`);
    }
  });
  await t.step("with a title and a one-line summary", () => {
    for (const l of LESSONS) {
      assert.ok(l.title.length > 0 && l.teaches.length > 0, l.name);
      assert.doesNotMatch(l.teaches, /\n|\|/, `${l.name}: teaches must fit one table cell`);
    }
  });
  await t.step("frozen, so no tool can reorder it for the others", () => {
    assert.ok(
      Object.isFrozen(LESSONS) && LESSONS.every((l) => Object.isFrozen(l) && Object.isFrozen(l.exports)),
    );
  });
});

Deno.test("the worked examples are the seed's five, each first in its group", () => {
  assert.deepEqual(
    LESSONS.filter((l) => l.given).map((l) => l.name),
    ["relu", "channelwise_scaling", "mse_criterion", "sgd_momentum", "flatten"],
  );
  // The groups of the teaching order (see the module doc of manifest.ts), in order.
  const groups = [
    ["relu", "leaky_relu", "elu", "softplus"],
    ["channelwise_scaling", "linear", "sequential"],
    ["softmax", "log_softmax"],
    ["batch_normalization", "dropout"],
    ["mse_criterion", "class_nll_criterion_unstable", "class_nll_criterion"],
    ["sgd_momentum", "adam_optimizer"],
    ["flatten", "conv2d", "max_pool2d"],
  ];
  assert.deepEqual(groups.flat(), LESSONS.map((l) => l.name));
  for (const group of groups) {
    group.slice(1).forEach((name) =>
      assert.ok(!findLesson(name).given, `${name} is given but not first in its group`)
    );
  }
});

Deno.test("every lesson has its solution, its stub and its guide", () => {
  for (const l of LESSONS) {
    assert.ok(exists(`${ROOT}/solutions/${l.file}`), `solutions/${l.file} is missing`);
    assert.ok(exists(`${ROOT}/lessons/${l.file}`), `lessons/${l.file} is missing`);
    assert.ok(exists(`${ROOT}/lessons/${l.guide}`), `lessons/${l.guide} is missing`);
  }
});

Deno.test("the exports match what the lesson files and mod.ts export", async (t) => {
  for (const tree of ["solutions", "lessons"]) {
    await t.step(tree, async () => {
      const mod = await import(`${ROOT}/${tree}/mod.ts`);
      assert.deepEqual(Object.keys(mod).sort(), LESSONS.flatMap((l) => l.exports).sort());
      for (const l of LESSONS) {
        const file = await import(`${ROOT}/${tree}/${l.file}`);
        assert.deepEqual(Object.keys(file).sort(), [...l.exports].sort(), `${tree}/${l.file}`);
        for (const name of l.exports) {
          assert.equal(mod[name], file[name], `${tree}/mod.ts re-exports ${name}`);
        }
      }
    });
  }
});

Deno.test("findLesson() finds a lesson by name", () => {
  for (const l of LESSONS) assert.equal(findLesson(l.name), l);
});

Deno.test("findLesson() rejects an unknown name, listing the valid ones", async (t) => {
  const rejects = (name: string, pattern: RegExp) =>
    assert.throws(() => findLesson(name), (e: unknown) => {
      assert.ok(e instanceof RangeError, `expected a RangeError, got ${e}`);
      assert.match(e.message, pattern);
      for (const l of LESSONS) assert.ok(e.message.includes(l.name), `the message lists ${l.name}`);
      return true;
    });
  await t.step("suggesting the closest name for a typo", () => {
    rejects("lineer", /^Unknown lesson "lineer": did you mean "linear"\? Valid names are relu, /);
    rejects("sotfmax", /did you mean "softmax"\?/);
    rejects("max_pool_2d", /did you mean "max_pool2d"\?/);
  });
  await t.step("or for another spelling of the name", () => {
    rejects("batch-normalization", /did you mean "batch_normalization"\?/);
    rejects("BatchNormalization", /did you mean "batch_normalization"\?/);
    rejects("LogSoftMax", /did you mean "log_softmax"\?/);
    rejects("linear.ts", /did you mean "linear"\?/);
    rejects("batchnorm", /did you mean "batch_normalization"\?/);
    rejects("adam", /did you mean "adam_optimizer"\?/);
  });
  await t.step("without a suggestion when nothing is close", () => {
    rejects("transformer", /^Unknown lesson "transformer": valid names are relu, leaky_relu, /);
  });
  await t.step("and a non-string with a TypeError", () => {
    assert.throws(() => findLesson(7 as unknown as string), TypeError);
  });
});

Deno.test("lessons/README.md shows the manifest's table", async () => {
  const readme = await Deno.readTextFile(`${ROOT}/lessons/README.md`);
  assert.ok(
    readme.includes(`${lessonsTable()}\n`),
    `lessons/README.md must contain the table lessonsTable() renders:\n\n${lessonsTable()}`,
  );
});

Deno.test("the top README shows the manifest's table, linked into lessons/", async () => {
  const readme = await Deno.readTextFile(`${ROOT}/README.md`);
  const table = lessonsTable("lessons/");
  assert.ok(
    readme.includes(`${table}\n`),
    `README.md must contain the table lessonsTable("lessons/") renders:\n\n${table}`,
  );
});

Deno.test("each guide gives the command that grades its lesson", async () => {
  for (const l of LESSONS) {
    const guide = await Deno.readTextFile(`${ROOT}/lessons/${l.guide}`);
    assert.ok(
      guide.includes(`deno task grade ${l.name}`),
      `lessons/${l.guide} must show \`deno task grade ${l.name}\``,
    );
  }
});
