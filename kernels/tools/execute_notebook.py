"""Execute a notebook top to bottom through a Jupyter kernel (default: tscnn) with nbclient.

    /usr/bin/python3 kernels/tools/execute_notebook.py NOTEBOOK.ipynb OUT_DIR [--kernel tscnn] [--timeout 600]

Writes the executed (and signed, so its HTML/JS outputs are trusted) notebook to OUT_DIR and
prints one JSON object: {notebook, executed, cells, errors: [{cell, ename, evalue, traceback}],
stderr_failures: [{cell, text}], unexecuted: [cell indices with execution_count null],
mime_types: {cell: [types]}}. Cells tagged `raises-exception` may error. Exit status 0 when it
ran (check `errors`), 2 on bad arguments.
"""
import argparse
import json
import os
import re
import sys

import nbformat
from nbclient import NotebookClient
from nbformat.sign import NotebookNotary

# stderr text that means something failed even though no error output was produced
FAILURE = re.compile(r"\b(Error|Exception|Unhandled|Uncaught|Traceback|failed)\b")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("out_dir")
    ap.add_argument("--kernel", default="tscnn")
    ap.add_argument("--timeout", type=int, default=600)
    a = ap.parse_args()

    nb = nbformat.read(a.notebook, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=a.kernel,
        timeout=a.timeout,
        allow_errors=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(a.notebook))}},
    )
    client.execute()

    errors, stderr_failures, unexecuted, mime_types = [], [], [], {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        allowed = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        if cell.get("execution_count") is None and cell.source.strip():
            unexecuted.append(i)
        types = []
        for out in cell.get("outputs", []):
            if out.output_type == "error" and not allowed:
                errors.append({"cell": i, "ename": out.ename, "evalue": out.evalue, "traceback": out.traceback})
            elif out.output_type == "stream" and out.name == "stderr" and FAILURE.search(out.text) and not allowed:
                stderr_failures.append({"cell": i, "text": out.text[-2000:]})
            elif out.output_type in ("display_data", "execute_result"):
                types.extend(out.data.keys())
        mime_types[i] = types

    NotebookNotary().sign(nb)
    os.makedirs(a.out_dir, exist_ok=True)
    executed = os.path.join(a.out_dir, os.path.basename(a.notebook))
    nbformat.write(nb, executed)
    json.dump(
        {
            "notebook": a.notebook,
            "executed": executed,
            "cells": len(nb.cells),
            "errors": errors,
            "stderr_failures": stderr_failures,
            "unexecuted": unexecuted,
            "mime_types": mime_types,
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
