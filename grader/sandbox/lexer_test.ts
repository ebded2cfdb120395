import assert from "node:assert/strict";
import { scan, type SpanKind, unescapeSimple } from "./lexer.ts";

/** The non-code spans of `src` as `[kind, text]`, for compact expectations. */
function literals(src: string): [SpanKind, string][] {
  return scan(src).filter((s) => s.kind !== "code").map((s) => [s.kind, src.slice(s.start, s.end)]);
}

Deno.test("scan() tiles the source with spans in order", () => {
  const src = 'a = "x" + `y${b}z` / 2; // c\n/* d */ e(/f/g);';
  const spans = scan(src);
  assert.equal(spans[0].start, 0);
  assert.equal(spans[spans.length - 1].end, src.length);
  for (let k = 1; k < spans.length; k++) assert.equal(spans[k].start, spans[k - 1].end);
  for (const s of spans) {
    assert.equal(src.slice(s.start, s.start + s.open.length), s.open);
    assert.equal(src.slice(s.end - s.close.length, s.end), s.close);
  }
});

Deno.test("scan() reads strings with escapes", async (t) => {
  await t.step("an escaped quote does not end the string", () => {
    assert.deepEqual(literals(String.raw`x = "a\"b" + 'c\'d';`), [
      ["string", String.raw`"a\"b"`],
      ["string", String.raw`'c\'d'`],
    ]);
  });
  await t.step("an escaped backslash does", () => {
    assert.deepEqual(literals(String.raw`x = "a\\" + y;`), [["string", String.raw`"a\\"`]]);
  });
  await t.step("an unclosed string stops at the end of the line", () => {
    const src = 'x = "open\ny = 1;';
    const [s] = scan(src).filter((s) => s.kind === "string");
    assert.equal(src.slice(s.start, s.end), '"open');
    assert.equal(s.close, "");
  });
  await t.step("unescapeSimple() drops each backslash and keeps the character after it", () => {
    assert.equal(unescapeSimple(String.raw`.\/x\".ts`), './x".ts');
  });
});

Deno.test("scan() reads templates, nested ones included", async (t) => {
  await t.step("a template inside a substitution of a template", () => {
    const src = "s = `a${`b${x}c`}d` + 1;";
    assert.deepEqual(literals(src), [
      ["template", "`a${"],
      ["template", "`b${"],
      ["template", "}c`"],
      ["template", "}d`"],
    ]);
    assert.equal(scan(src).at(-1)!.kind, "code");
  });
  await t.step("braces of an object inside a substitution do not end it", () => {
    assert.deepEqual(literals("s = `${ {a: 1}.a }!`;"), [["template", "`${"], ["template", "}!`"]]);
  });
  await t.step("an escaped backtick and an escaped ${ stay in the text", () => {
    assert.deepEqual(literals("s = `a\\`b\\${c}`;"), [["template", "`a\\`b\\${c}`"]]);
  });
});

Deno.test("scan() tells a regex literal from a division", async (t) => {
  const kinds = (src: string) => literals(src).map(([k]) => k);
  await t.step("division after ) ] an identifier and a number", () => {
    for (const src of ["(a) / b / c", "a[0] / b / c", "a / b / c", "1 / b / c", "x.y / 2 / z"]) {
      assert.deepEqual(kinds(src), [], src);
    }
  });
  await t.step("regex at the start and after punctuators", () => {
    for (const src of ["/a/g.test(s)", "x = /a/", "f(/a/, /b/)", "[/a/]", "x ? /a/ : /b/", "!/a/.test(s)"]) {
      assert.ok(kinds(src).every((k) => k === "regex") && kinds(src).length > 0, src);
    }
  });
  await t.step("regex after the keywords that start an expression, instanceof included", () => {
    for (const word of ["return", "typeof", "instanceof", "case", "in", "of", "throw", "yield", "await"]) {
      assert.deepEqual(literals(`${word} /a"b/i`), [["regex", '/a"b/i']], word);
    }
  });
  await t.step("division after a word that is not such a keyword", () => {
    assert.deepEqual(literals('returned / a + "s" / 2'), [["string", '"s"']]);
  });
  await t.step("a slash inside a character class does not end the regex", () => {
    assert.deepEqual(literals("x = /[/]\\//g;"), [["regex", "/[/]\\//g"]]);
  });
  await t.step("regex after a } that closes a block, division after one that closes an object", () => {
    // JavaScript runs the code after these regexes: the lexer must not read it as a string.
    for (const src of ['if (a) {} /"/; f() //"', 'function g() {}\n/"/; f() //"', 'x => {} /"/; f() //"']) {
      assert.deepEqual(literals(src), [["regex", '/"/'], ["comment", '//"']], src);
    }
    for (const src of ['x = {} / "s"', 'f({} / "s")', 'return {} / "s"', 'x = { a: {} / "s" }']) {
      assert.deepEqual(literals(src), [["string", '"s"']], src);
    }
  });
  await t.step("a block after return and a line break (automatic semicolon insertion)", () => {
    assert.deepEqual(literals('return\n{} /"/; f() //"'), [["regex", '/"/'], ["comment", '//"']]);
  });
  await t.step("a label's block, even inside another block", () => {
    assert.deepEqual(literals('{ l: {} /"/; f() //"\n}'), [["regex", '/"/'], ["comment", '//"']]);
  });
  await t.step("regex after ${ and division after a template", () => {
    assert.deepEqual(literals("`${/a/.source}` / 2"), [
      ["template", "`${"],
      ["regex", "/a/"],
      ["template", "}`"],
    ]);
  });
});

Deno.test("scan() keeps comments and strings apart", async (t) => {
  await t.step("comment markers inside strings, templates and regexes are text", () => {
    const src = "a = \"// no\" + '/* no */' + `// no` + /\\/\\/ no/;";
    assert.deepEqual(literals(src).map(([k]) => k), ["string", "string", "template", "regex"]);
  });
  await t.step("quotes inside comments do not open strings", () => {
    const src = "// it's\nx = 1; /* \"a` */ y = 2;";
    assert.deepEqual(literals(src), [["comment", "// it's"], ["comment", '/* "a` */']]);
  });
  await t.step("a line comment ends before the newline, an unclosed block comment at the end", () => {
    const src = "x; // a\ny; /* b";
    const comments = scan(src).filter((s) => s.kind === "comment");
    assert.deepEqual(comments.map((c) => [c.open, c.close, src.slice(c.start, c.end)]), [
      ["//", "", "// a"],
      ["/*", "", "/* b"],
    ]);
  });
});

Deno.test("scan() reads a hashbang line as a comment, so '#! /*' opens no block comment", () => {
  const src = "#! /*\nconst m = await import(p); // */\n";
  assert.deepEqual(literals(src), [["comment", "#! /*"], ["comment", "// */"]]);
  assert.deepEqual(literals("#!/usr/bin/env -S deno run"), [["comment", "#!/usr/bin/env -S deno run"]]);
});
