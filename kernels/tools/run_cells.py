"""Debug helper: run code cells through a kernel and print every iopub message and reply.

    JUPYTER_PATH=.jupyter-local/share/jupyter /usr/bin/python3 kernels/tools/run_cells.py 'cell 1' 'cell 2' …
"""
import json
import sys

from jupyter_client.manager import start_new_kernel

km, kc = start_new_kernel(kernel_name="tscnn")
try:
    for code in sys.argv[1:]:
        msg_id = kc.execute(code)
        reply = kc.get_shell_msg(timeout=60)
        while reply["header"]["msg_type"] != "execute_reply":
            reply = kc.get_shell_msg(timeout=60)
        while True:
            msg = kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            t = msg["msg_type"]
            if t == "status" and msg["content"]["execution_state"] == "idle":
                break
            if t != "status":
                print(t, json.dumps(msg["content"])[:600])
        print("reply", json.dumps(reply["content"])[:600])
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
