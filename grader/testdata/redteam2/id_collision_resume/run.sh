#!/bin/sh
# Two students whose submission names sanitise to the same id; the second arrives after a first run.
# Run from the worktree root: sh grader/testdata/redteam2/id_collision_resume/run.sh
set -e
S=/tmp/red2/idcol/subs; O=/tmp/red2/idcol/out
rm -rf /tmp/red2/idcol && mkdir -p "$S/a_b/lessons" "$S/a b/lessons"
cp solutions/relu.ts "$S/a_b/lessons/relu.ts"                 # a_b: a lesson file (the worked example)
printf 'export {};\n' > "$S/a b/lessons/not_a_lesson.ts"        # "a b": no lesson file at all -> rejected
mv "$S/a b" /tmp/red2/idcol/later
deno task grade-batch "$S" --out "$O" --jobs 1
mv /tmp/red2/idcol/later "$S/a b"                              # a late submission, then a resumed run
deno task grade-batch "$S" --out "$O" --jobs 1
cut -d, -f1,2,3,25 "$O/gradebook.csv"
for f in "$O"/reports/*.json; do echo "$f: $(grep -m1 '"source"' "$f")"; done
