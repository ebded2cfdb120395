#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image
# (this folder is /autograder/source). It installs Deno from npm (Node and npm
# from apt when missing) and caches the kit's npm dependencies, so that
# grading needs no download.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
DENO_VERSION="2.9.6"
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  apt-get update
  apt-get install -y --no-install-recommends nodejs npm
fi
npm install --silent --no-audit --no-fund --prefix "$ROOT/deno-npm" "deno@${DENO_VERSION}"
export PATH="$ROOT/deno-npm/node_modules/.bin:$PATH"
deno --version
deno cache instructor/gradescope_run.ts grader/main.ts notebook/extract_main.ts
