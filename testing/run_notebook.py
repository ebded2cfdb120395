"""Executes a notebook headless on the Deno kernel (nbclient) and prints, as JSON, what every code cell showed.

Used by notebook/jupyter_test.ts (Debian's python3-nbclient, python3-nbformat and jupyter-client; the kernel
from `deno jupyter --install`):

    python3 testing/run_notebook.py --probe
        exit 0 when nbclient and the "deno" kernel are there, else exit 3 saying what is missing
    python3 testing/run_notebook.py NOTEBOOK --cwd DIR [--quick] [--out EXECUTED.ipynb]
        runs NOTEBOOK with DIR as the kernel's working folder; --quick turns the capstone's
        `const QUICK = false;` into `true` (it must be there exactly once); prints
        {"seconds": s, "cells": [{"index", "tags", "updates", "outputs": [{"type", "text", "html"} or
        {"type": "error", ...}]}]}, where "updates" counts the cell's in-place display updates
"""

import json
import sys
import time


def probe():
    try:
        import nbclient  # noqa: F401
        import nbformat  # noqa: F401
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    except ImportError as e:
        print(f"missing Python package: {e.name} (Debian: python3-nbclient python3-nbformat jupyter-client)")
        return 3
    try:
        KernelSpecManager().get_kernel_spec("deno")
    except NoSuchKernel:
        print('no Jupyter kernel "deno": run `deno jupyter --install`')
        return 3
    return 0


def run(path, cwd, quick, out):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    if quick:
        flipped = 0
        for cell in nb.cells:
            if cell.cell_type == "code" and "const QUICK = false;" in cell.source:
                cell.source = cell.source.replace("const QUICK = false;", "const QUICK = true;")
                flipped += 1
        if flipped != 1:
            print(f"--quick: expected one cell with `const QUICK = false;`, found {flipped}", file=sys.stderr)
            return 4
    started = time.time()
    client = NotebookClient(nb, timeout=600, kernel_name="deno", resources={"metadata": {"path": cwd}},
                            allow_errors=True)
    updates = {}  # cell index -> update_display_data messages (what a live display sends while a cell runs)
    process = client.process_message

    def counting(msg, cell, cell_index):
        if msg["msg_type"] == "update_display_data":
            updates[cell_index + 1] = updates.get(cell_index + 1, 0) + 1
        return process(msg, cell, cell_index)

    client.process_message = counting
    client.execute()
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = []
        for o in cell.outputs:
            if o.output_type == "error":
                outputs.append({"type": "error", "ename": o.ename, "evalue": o.evalue})
            elif o.output_type == "stream":
                outputs.append({"type": "stream", "text": o.text})
            else:
                data = o.get("data", {})
                outputs.append({"type": o.output_type, "text": data.get("text/plain", ""),
                                "html": data.get("text/html", "")})
        cells.append({"index": index + 1, "tags": cell.metadata.get("tags", []), "outputs": outputs,
                      "updates": updates.get(index + 1, 0)})
    if out:
        nbformat.write(nb, out)
    print(json.dumps({"seconds": round(time.time() - started, 2), "cells": cells}))
    return 0


def main(argv):
    if argv[1:] == ["--probe"]:
        return probe()
    args = {"--cwd": ".", "--out": None}
    quick = "--quick" in argv
    rest = [a for a in argv[1:] if a != "--quick"]
    path = rest.pop(0)
    while rest:
        flag = rest.pop(0)
        args[flag] = rest.pop(0)
    return run(path, args["--cwd"], quick, args["--out"])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
