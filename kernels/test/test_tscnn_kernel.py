"""jupyter_kernel_test's standard test class against the "TypeScript (tscnn)" kernel.

Run with JUPYTER_PATH pointing at a folder holding kernels/tscnn (see kernels/install.js):
    JUPYTER_PATH=.jupyter-local/share/jupyter /usr/bin/python3 -m unittest kernels/test/test_tscnn_kernel.py
"""
import time
import unittest

import jupyter_kernel_test as jkt


class TscnnKernelTests(jkt.KernelTests):
    kernel_name = "tscnn"
    language_name = "typescript"
    file_extension = ".ts"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The first cell waits for tslab's compiler (seconds; more on a busy machine): wait for it
        # here so the standard tests' 15 s timeouts measure the kernel, not the machine's load.
        msg_id = cls.kc.execute("0", silent=True, store_history=False)
        while cls.kc.get_shell_msg(timeout=240)["parent_header"].get("msg_id") != msg_id:
            pass

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("oops, stderr")'

    completion_samples = [
        {"text": "Math.ab", "matches": {"abs"}},
        {"text": "const abcdef = 1, abcxyz = 2;\nabc", "matches": {"abcdef", "abcxyz"}},
    ]

    complete_code_samples = ["1", "const x = 1;", "function f(a: number) { return a * 2; }"]
    incomplete_code_samples = ["function f(a: number) {", "const xs = [1, 2,", "if (true) {\n  1"]
    invalid_code_samples = ["1 +)", "let = ;", "const x = 3 4 5 }"]

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "'a' + 'b'", "result": "'ab'"},
        {"code": "[1, 2, 3].map((x) => x * x)", "result": "[ 1, 4, 9 ]"},
    ]

    code_display_data = [
        {
            "code": "({ [Symbol.for('Jupyter.display')]() { return { 'text/html': '<b>hi</b>', 'text/plain': 'hi' }; } })",
            "mime": "text/html",
        },
        {
            "code": "(globalThis as any)[Symbol.for('tscnn.kernel')].display({ 'image/png': 'iVBORw0KGgo=', 'text/plain': 'png' }); 1",
            "mime": "image/png",
        },
    ]

    code_history_pattern = "6 * *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "(globalThis as any)[Symbol.for('tscnn.kernel')].clearOutput()"

    # A display of a DISPLAY-implementing last value arrives as execute_result; the class wants
    # display_data for code_display_data, so the first sample is checked in test_rich_result.
    def test_display_data(self):
        saved = self.code_display_data
        self.code_display_data = saved[1:]
        try:
            super().test_display_data()
        finally:
            self.code_display_data = saved

    def test_rich_result(self):
        """A last value with [Symbol.for('Jupyter.display')] → execute_result with every MIME type."""
        self.flush_channels()
        reply, outputs = self.execute_helper(self.code_display_data[0]["code"])
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1)
        self.assertEqual(results[0]["content"]["data"], {"text/html": "<b>hi</b>", "text/plain": "hi"})

    def test_error_reply_fields(self):
        """ename/evalue/traceback in the reply and the iopub error, naming the cell line."""
        self.flush_channels()
        reply, outputs = self.execute_helper('const a = 1;\nconst b = 2;\nthrow new RangeError("bad " + (a + b))')
        c = reply["content"]
        self.assertEqual(c["status"], "error")
        self.assertEqual(c["ename"], "RangeError")
        self.assertEqual(c["evalue"], "bad 3")
        self.assertTrue(any("line 3" in line for line in c["traceback"]), c["traceback"])
        errors = [m for m in outputs if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors[0]["content"]["ename"], "RangeError")

    def test_compile_error_reply(self):
        """A syntax error is a compile error naming the line (the default kernel transpiles only)."""
        self.flush_channels()
        reply, outputs = self.execute_helper('const ok = 1;\nconst n = 3 4;')
        c = reply["content"]
        self.assertEqual(c["status"], "error")
        self.assertEqual(c["ename"], "TSError")
        self.assertIn("line 2", c["evalue"])
        self.assertIn("expected", c["evalue"])

    def test_type_error_runs_when_transpiling_only(self):
        """Without TSCNN_KERNEL_TYPECHECK=1 cells are not type-checked (as `deno run`, tsx): a type error runs."""
        self.flush_channels()
        self.assertEqual(self._result_text('const nn: number = "x" as any as number; typeof nn'), "'string'")

    def test_completion_knows_library_and_inferred_types(self):
        """Completion builds the types on demand: library names, and members of a value an earlier cell inferred."""
        self.flush_channels()
        self._result_text("import { tensor } from 'tscnn';\nconst tt = tensor([[1, 2]]); 0")
        msg_id = self.kc.complete("tt.sha", 6)
        reply = self.kc.get_shell_msg(timeout=240)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=240)
        self.assertIn("shape", reply["content"]["matches"])
        msg_id = self.kc.complete("import { conv2 } from 'tscnn'", 14)
        reply = self.kc.get_shell_msg(timeout=240)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=240)
        self.assertIn("conv2d", reply["content"]["matches"])

    def _run_in_new_kernel(self, env_extra, code):
        """Start a kernel with extra environment, run `code`, return (reply content, iopub messages of it)."""
        import os
        from jupyter_client.manager import start_new_kernel
        km, kc = start_new_kernel(kernel_name=self.kernel_name, startup_timeout=120, env={**os.environ, **env_extra})
        try:
            msg_id = kc.execute(code)
            reply = kc.get_shell_msg(timeout=240)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = kc.get_shell_msg(timeout=240)
            outs = []
            while True:
                m = kc.get_iopub_msg(timeout=30)
                if m["parent_header"].get("msg_id") != msg_id:
                    continue
                outs.append(m)
                if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                    break
            return reply["content"], outs
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_type_error_with_typecheck_on(self):
        """TSCNN_KERNEL_TYPECHECK=1 type-checks every cell (against lib, @types/node and the library)."""
        c, _ = self._run_in_new_kernel({"TSCNN_KERNEL_TYPECHECK": "1"},
                                       "import { conv2d } from 'tscnn';\nconst n: number = \"x\";")
        self.assertEqual(c["status"], "error")
        self.assertEqual(c["ename"], "TSError")
        self.assertIn("line 2", c["evalue"])
        self.assertIn("not assignable", c["evalue"])

    def test_bad_typecheck_setting_is_named(self):
        c, _ = self._run_in_new_kernel({"TSCNN_KERNEL_TYPECHECK": "yes"}, "1 + 1")
        self.assertEqual(c["status"], "error")
        self.assertIn("TSCNN_KERNEL_TYPECHECK must be 1", c["evalue"])
        self.assertIn("'yes'", c["evalue"])

    def test_no_abort_after_error(self):
        """A request sent right after an error reply runs (stock tslab answered 'abort')."""
        self.flush_channels()
        reply, _ = self.execute_helper('throw new Error("first")')
        self.assertEqual(reply["content"]["status"], "error")
        reply, outputs = self.execute_helper("40 + 2")
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "42")

    def test_execution_count_and_input(self):
        self.flush_channels()
        reply, _ = self.execute_helper("let counted = 1")
        n = reply["content"]["execution_count"]
        self.assertIsInstance(n, int)
        reply, _ = self.execute_helper("counted + 1")
        self.assertEqual(reply["content"]["execution_count"], n + 1)

    def test_shorthand_property_of_earlier_cell_variable(self):
        """`{ rng }` naming an earlier cell's variable works (stock tslab: "rng is not defined")."""
        self.flush_channels()
        reply, _ = self.execute_helper("const shortVal = 5;")
        self.assertEqual(reply["content"]["status"], "ok")
        reply, outputs = self.execute_helper("const obj = { shortVal, b: 2 }; obj.shortVal + obj.b")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "7")

    def test_kernel_info_status_and_version(self):
        self.flush_channels()
        self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=jkt.TIMEOUT)
        c = reply["content"]
        self.assertEqual(c["status"], "ok")
        self.assertEqual(c["implementation"], "tscnn")
        self.assertRegex(c["language_info"]["version"], r"^5\.")

    def _interrupt_once_started(self, code, timeout=120):
        """Runs code (whose first line prints 'started'), interrupts once that output arrived (not
        before: on a loaded machine the cell may start seconds after it was sent), returns the reply."""
        exec_id = self.kc.execute(code)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                m = self.kc.get_iopub_msg(timeout=1)
            except Exception:
                continue
            if m["parent_header"].get("msg_id") == exec_id and m["msg_type"] == "stream" and "started" in m["content"]["text"]:
                break
        else:
            self.fail("the cell did not start")
        time.sleep(0.3)
        self.km.interrupt_kernel()
        return self._shell_reply(exec_id)

    def test_interrupt_keeps_state(self):
        """SIGINT (the stop button) ends an awaiting loop with KeyboardInterrupt; state survives."""
        self.flush_channels()
        reply, _ = self.execute_helper("let kept = 7")
        self.assertEqual(reply["content"]["status"], "ok")
        reply = self._interrupt_once_started(
            "console.log('started');\n"
            "const { checkInterrupt } = { checkInterrupt: () => (globalThis as any)[Symbol.for('tscnn.kernel')].checkInterrupt() };\n"
            "let steps = 0;\n"
            "while (true) { await new Promise((r) => setTimeout(r, 10)); checkInterrupt(); steps++; }"
        )
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        self.assertEqual(reply["content"]["evalue"], "interrupted by the user")
        self.flush_channels()
        reply, outputs = self.execute_helper("kept * 6")
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "42")

    def test_sync_loop_interrupt(self):
        """A synchronous infinite loop is broken by SIGINT too (vm breakOnSigint)."""
        self.flush_channels()
        reply = self._interrupt_once_started("console.log('started');\nlet spins = 0; while (true) { spins++; }")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        self.flush_channels()
        reply, _ = self.execute_helper("1 + 1")
        self.assertEqual(reply["content"]["status"], "ok")

    def test_update_display(self):
        """display handles: update_display_data with the same display_id."""
        self.flush_channels()
        code = ("const k = (globalThis as any)[Symbol.for('tscnn.kernel')];\n"
                "k.display({ 'text/plain': 'step 0' }, { id: 'prog' });\n"
                "k.display({ 'text/plain': 'step 1' }, { id: 'prog', update: true });\n"
                "({ [Symbol.for('tscnn.noResult')]: true })")
        reply, outputs = self.execute_helper(code)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        types = [m["msg_type"] for m in outputs]
        self.assertEqual(types, ["display_data", "update_display_data"])
        self.assertEqual(outputs[1]["content"]["transient"], {"display_id": "prog"})
        self.assertEqual(outputs[1]["content"]["data"], {"text/plain": "step 1"})


    def _result_text(self, code):
        reply, outputs = self.execute_helper(code, timeout=120)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, outputs)
        return results[0]["content"]["data"]["text/plain"]

    def test_import_tscnn(self):
        """'tscnn' resolves to this checkout's src/index.ts."""
        self.flush_channels()
        text = self._result_text("import { tensor } from 'tscnn';\ntensor([[1, 2], [3, 4]]).shape")
        self.assertEqual(text, "[ 2, 2 ]")

    def test_local_edit_picked_up_on_reimport(self):
        import os
        import time
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        d = os.path.join(root, "test-artifacts", "kernel-edit")
        os.makedirs(d, exist_ok=True)
        f = os.path.join(d, "m.ts")
        try:
            with open(f, "w") as fh:
                fh.write("export const v: number = 1;\n")
            code = "import { v } from './test-artifacts/kernel-edit/m';\nv * 10"
            self.flush_channels()
            self.assertEqual(self._result_text(code), "10")
            time.sleep(1.1)
            with open(f, "w") as fh:
                fh.write("export const v: number = 2;\n")
            self.assertEqual(self._result_text(code), "20")
        finally:
            os.remove(f)

    # ---- comms (messaging spec "Custom messages") ----

    HOOK = "(globalThis as any)[Symbol.for('tscnn.kernel')]"

    def _ok(self, code, timeout=30):
        reply, outputs = self.execute_helper(code, timeout=timeout)
        self.assertEqual(reply["content"]["status"], "ok", (reply["content"], outputs))
        return reply, outputs

    def _send_shell(self, msg_type, content, buffers=None):
        msg = self.kc.session.msg(msg_type, content)
        if buffers:
            msg["buffers"] = buffers
        self.kc.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def _iopub_for(self, msg_id, timeout=20):
        """iopub messages whose parent is msg_id, up to its idle status."""
        import time
        out = []
        deadline = time.time() + timeout
        stash = self.__dict__.setdefault("_iopub_stash", [])
        while time.time() < deadline:
            mine = [m for m in stash if m["parent_header"].get("msg_id") == msg_id]
            if mine:
                msg = mine[0]
                stash.remove(msg)
            else:
                msg = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
                if msg["parent_header"].get("msg_id") != msg_id:
                    stash.append(msg)  # another request's: kept for a later call
                    continue
            if msg["msg_type"] == "status":
                if msg["content"]["execution_state"] == "idle":
                    return out
                continue
            out.append(msg)
        self.fail(f"no idle status for {msg_id}; got {[m['msg_type'] for m in out]}")

    def _shell_reply(self, msg_id):
        """The shell reply to msg_id (other replies are dropped)."""
        while True:
            reply = self.kc.get_shell_msg(timeout=jkt.TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def _comm_info(self, target_name=None):
        msg_id = self.kc.comm_info(target_name)
        while True:
            reply = self.kc.get_shell_msg(timeout=jkt.TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg_id:
                self.assertEqual(reply["msg_type"], "comm_info_reply")
                self.assertEqual(reply["content"]["status"], "ok")
                return reply["content"]["comms"]

    def test_widget_version_comm_answered_before_any_cell(self):
        """ipywidgets 6's front end opens jupyter.widget.version on connect: a fresh kernel answers it before any import."""
        import uuid
        from jupyter_client.manager import start_new_kernel
        km, kc = start_new_kernel(kernel_name=self.kernel_name, startup_timeout=120)
        try:
            comm_id = uuid.uuid4().hex
            msg = kc.session.msg("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.version", "data": {}})
            kc.shell_channel.send(msg)
            got = []
            deadline = time.time() + 60
            while time.time() < deadline and not got:
                try:
                    m = kc.get_iopub_msg(timeout=1)
                except Exception:
                    continue
                if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id:
                    got.append(m["content"]["data"])
                if m["msg_type"] == "comm_close" and m["content"]["comm_id"] == comm_id:
                    self.fail("the kernel closed the version comm (target not registered)")
            self.assertEqual(got, [{"version": "~2.1.4"}])
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_comm_open_msg_close_info(self):
        """Front-end comm_open → onOpen; comm_msg → onMsg (output to the comm_msg); comm_info filters; comm_close → onClose."""
        import uuid
        self.flush_channels()
        self._ok(
            f"const comms = {self.HOOK}.comms;\n"
            "comms.registerTarget('tscnn.test.echo', (comm: any, msg: any) => {\n"
            "  comm.send({ opened: msg.content.data, target: comm.targetName });\n"
            "  comm.onMsg((m: any) => { console.log('got', m.content.data.x); comm.send({ echo: m.content.data.x * 2 }); });\n"
            "  comm.onClose((m: any) => { console.log('closed with', m.content.data.why); });\n"
            "});"
        )
        comm_id = uuid.uuid4().hex
        open_id = self._send_shell("comm_open", {"comm_id": comm_id, "target_name": "tscnn.test.echo", "data": {"hello": 1}})
        outs = self._iopub_for(open_id)
        msgs = [m for m in outs if m["msg_type"] == "comm_msg"]
        self.assertEqual(len(msgs), 1, outs)
        self.assertEqual(msgs[0]["content"]["comm_id"], comm_id)
        self.assertEqual(msgs[0]["content"]["data"], {"opened": {"hello": 1}, "target": "tscnn.test.echo"})

        self.assertEqual(self._comm_info("tscnn.test.echo"), {comm_id: {"target_name": "tscnn.test.echo"}})
        self.assertNotIn(comm_id, self._comm_info("tscnn.test.other"))
        self.assertIn(comm_id, self._comm_info())

        msg_id = self._send_shell("comm_msg", {"comm_id": comm_id, "data": {"x": 21}})
        outs = self._iopub_for(msg_id)
        self.assertEqual([m["content"]["data"] for m in outs if m["msg_type"] == "comm_msg"], [{"echo": 42}])
        self.assertEqual([m["content"]["text"] for m in outs if m["msg_type"] == "stream"], ["got 21\n"])

        close_id = self._send_shell("comm_close", {"comm_id": comm_id, "data": {"why": "done"}})
        outs = self._iopub_for(close_id)
        self.assertEqual([m["content"]["text"] for m in outs if m["msg_type"] == "stream"], ["closed with done\n"])
        self.assertNotIn(comm_id, self._comm_info())

    def test_comm_kernel_opened_binary_round_trip(self):
        """A cell opens a comm (parent: the cell) with a Float32Array buffer; buffers come back reversed."""
        import struct
        self.flush_channels()
        msg_id = self.kc.execute(
            f"const bc = {self.HOOK}.comms.open('tscnn.test.bin', {{ kind: 'bin' }}, {{ v: 1 }}, [new Float32Array([1.5, -2])]);\n"
            "bc.onMsg((m: any) => bc.send({ len: m.buffers[0].length }, {}, [Uint8Array.from(m.buffers[0]).reverse(), new Uint16Array([7])]));\n"
            "bc.commId"
        )
        outs = self._iopub_for(msg_id)
        self.assertEqual(self._shell_reply(msg_id)["content"]["status"], "ok")
        opens = [m for m in outs if m["msg_type"] == "comm_open"]
        self.assertEqual(len(opens), 1, outs)
        c = opens[0]["content"]
        self.assertEqual(c["target_name"], "tscnn.test.bin")
        self.assertEqual(c["data"], {"kind": "bin"})
        self.assertEqual(opens[0]["metadata"], {"v": 1})
        self.assertEqual(len(opens[0]["buffers"]), 1)
        self.assertEqual(struct.unpack("<2f", bytes(opens[0]["buffers"][0])), (1.5, -2.0))
        comm_id = c["comm_id"]
        self.assertIn(comm_id, self._comm_info("tscnn.test.bin"))

        msg_id = self._send_shell("comm_msg", {"comm_id": comm_id, "data": {}}, buffers=[b"\x01\x02\x03"])
        outs = self._iopub_for(msg_id)
        replies = [m for m in outs if m["msg_type"] == "comm_msg"]
        self.assertEqual(len(replies), 1, outs)
        self.assertEqual(replies[0]["content"]["data"], {"len": 3})
        self.assertEqual([bytes(b) for b in replies[0]["buffers"]], [b"\x03\x02\x01", struct.pack("<H", 7)])
        close_exec = self.kc.execute("bc.close(); bc.closed")  # (execute_helper rejects comm_close)
        outs = self._iopub_for(close_exec)
        self.assertEqual(self._shell_reply(close_exec)["content"]["status"], "ok")
        closes = [m for m in outs if m["msg_type"] == "comm_close"]
        self.assertEqual([m["content"]["comm_id"] for m in closes], [comm_id])
        self.assertEqual([m["content"]["data"]["text/plain"] for m in outs if m["msg_type"] == "execute_result"], ["true"])
        self.assertNotIn(comm_id, self._comm_info())

    def test_comm_open_unknown_target_is_closed(self):
        import uuid
        self.flush_channels()
        comm_id = uuid.uuid4().hex
        open_id = self._send_shell("comm_open", {"comm_id": comm_id, "target_name": "tscnn.test.nobody", "data": {}})
        outs = self._iopub_for(open_id)
        closes = [m for m in outs if m["msg_type"] == "comm_close"]
        self.assertEqual(len(closes), 1, outs)
        self.assertEqual(closes[0]["content"]["comm_id"], comm_id)
        self.assertNotIn(comm_id, self._comm_info())

    def test_comm_handler_error_shown(self):
        """A handler that throws: stderr stream to the comm_msg, and the kernel keeps working."""
        import uuid
        self.flush_channels()
        self._ok(
            f"{self.HOOK}.comms.registerTarget('tscnn.test.throws', (comm: any) => {{\n"
            "  comm.onMsg((m: any) => { throw new RangeError('handler boom ' + m.content.data.n); });\n"
            "});"
        )
        comm_id = uuid.uuid4().hex
        self._iopub_for(self._send_shell("comm_open", {"comm_id": comm_id, "target_name": "tscnn.test.throws", "data": {}}))
        msg_id = self._send_shell("comm_msg", {"comm_id": comm_id, "data": {"n": 5}})
        outs = self._iopub_for(msg_id)
        errs = [m["content"]["text"] for m in outs if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"]
        self.assertEqual(len(errs), 1, outs)
        self.assertIn("RangeError: handler boom 5", errs[0])
        self.assertIn("message handler", errs[0])
        self._ok("1 + 1")

    def test_comm_msg_during_awaiting_cell(self):
        """A comm_msg sent while a cell awaits is handled before that cell ends (not queued behind it)."""
        import time
        import uuid
        self.flush_channels()
        self._ok(
            f"{self.HOOK}.comms.registerTarget('tscnn.test.during', (comm: any) => {{\n"
            "  comm.onMsg((m: any) => { (globalThis as any).duringValue = m.content.data.v; console.log('handled during'); });\n"
            "});"
        )
        comm_id = uuid.uuid4().hex
        self._iopub_for(self._send_shell("comm_open", {"comm_id": comm_id, "target_name": "tscnn.test.during", "data": {}}))
        exec_id = self.kc.execute(
            "const t0 = Date.now();\n"
            "while ((globalThis as any).duringValue === undefined && Date.now() - t0 < 15000) await new Promise((r) => setTimeout(r, 20));\n"
            "(globalThis as any).duringValue"
        )
        time.sleep(0.5)
        msg_id = self._send_shell("comm_msg", {"comm_id": comm_id, "data": {"v": 99}})
        outs = self._iopub_for(msg_id)
        self.assertEqual([m["content"]["text"] for m in outs if m["msg_type"] == "stream"], ["handled during\n"])
        cell = self._iopub_for(exec_id)
        results = [m for m in cell if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, cell)
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "99")
        self.assertEqual(self._shell_reply(exec_id)["content"]["status"], "ok")

    # ---- errors after a cell has finished ----

    def _late_stream(self, exec_id, needle, timeout=10):
        """stderr text containing needle with parent exec_id, arriving after that cell's idle."""
        import time
        deadline = time.time() + timeout
        stash = self.__dict__.setdefault("_iopub_stash", [])
        while time.time() < deadline:
            for m in list(stash):
                if m["parent_header"].get("msg_id") == exec_id and m["msg_type"] == "stream" and needle in m["content"]["text"]:
                    stash.remove(m)
                    return m["content"]
            try:
                stash.append(self.kc.get_iopub_msg(timeout=0.5))
            except Exception:
                pass
        self.fail(f"no late stderr containing {needle!r} for {exec_id}")

    def test_late_errors_reported_with_their_cell(self):
        """Timer throw, unawaited rejection, event 'error': stderr to the cell they came from, then the next cell; the kernel lives on."""
        cases = [
            ("setTimeout(() => { throw new Error('late timer'); }, 10); 1", "Uncaught exception", "Error: late timer"),
            ("setTimeout(() => { Promise.reject(new TypeError('late reject')); }, 10); 1", "Unhandled promise rejection", "TypeError: late reject"),
            ("import { EventEmitter } from 'events';\nconst lateEE = new EventEmitter();\nsetTimeout(() => lateEE.emit('error', new RangeError('late event')), 10); 1",
             "Uncaught exception", "RangeError: late event"),
        ]
        for code, kind, needle in cases:
            with self.subTest(needle=needle):
                self.flush_channels()
                self.__dict__["_iopub_stash"] = []
                msg_id = self.kc.execute(code)
                outs = self._iopub_for(msg_id)
                self.assertEqual(self._shell_reply(msg_id)["content"]["status"], "ok")
                self.assertEqual([m["content"]["data"]["text/plain"] for m in outs if m["msg_type"] == "execute_result"], ["1"])
                count = [m for m in outs if m["msg_type"] == "execute_input"][0]["content"]["execution_count"]
                late = self._late_stream(msg_id, needle)
                self.assertEqual(late["name"], "stderr")
                self.assertIn(f"{kind} from cell[{count}] (after it had finished)", late["text"])
                # The next cell shows it too (front ends may drop outputs of a finished cell).
                reply, outs = self._ok("2 + 2")
                errs = [m["content"]["text"] for m in outs if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"]
                self.assertEqual(len(errs), 1, outs)
                self.assertIn(needle, errs[0])
                self.assertIn(f"cell[{count}]", errs[0])
                reply, outs = self._ok("3 + 3")
                self.assertEqual([m for m in outs if m["msg_type"] == "stream"], [])

    def test_error_in_running_cell_background_task(self):
        """An unawaited rejection while its cell still runs goes to that cell's stderr."""
        self.flush_channels()
        reply, outs = self._ok("Promise.reject(new Error('early reject'));\nawait new Promise((r) => setTimeout(r, 200));\n5")
        errs = [m["content"]["text"] for m in outs if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"]
        self.assertEqual(len(errs), 1, outs)
        self.assertIn("Unhandled promise rejection from cell[", errs[0])
        self.assertIn("Error: early reject", errs[0])
        self.assertNotIn("after it had finished", errs[0])

    # ---- tslab compatibility ----

    def test_tslab_display_all_kinds(self):
        """import * as tslab from 'tslab': every tslab.display.* and newDisplay() through the kernel's display path."""
        self.flush_channels()
        code = (
            "import * as tslab from 'tslab';\n"
            "const bytes = new Uint8Array([1, 2, 3]);\n"
            "tslab.display.html('<b>hi</b>'); tslab.display.markdown('# t'); tslab.display.svg('<svg/>');\n"
            "tslab.display.png(bytes); tslab.display.jpeg(bytes); tslab.display.gif(bytes); tslab.display.pdf(bytes);\n"
            "tslab.display.javascript('1'); tslab.display.latex('$x$'); tslab.display.text('plain');\n"
            "tslab.display.raw('application/json', '{}');\n"
            "const d = tslab.newDisplay(); d.text('first'); d.text('second');"
        )
        reply, outs = self._ok(code)
        shown = [(m["msg_type"], list(m["content"]["data"].items())[0]) for m in outs if m["msg_type"].endswith("display_data")]
        b64 = "AQID"
        self.assertEqual(shown[:11], [("display_data", kv) for kv in [
            ("text/html", "<b>hi</b>"), ("text/markdown", "# t"), ("image/svg+xml", "<svg/>"),
            ("image/png", b64), ("image/jpeg", b64), ("image/gif", b64), ("application/pdf", b64),
            ("text/javascript", "1"), ("text/latex", "$x$"), ("text/plain", "plain"), ("application/json", "{}"),
        ]])
        self.assertEqual(shown[11:], [("display_data", ("text/plain", "first")), ("update_display_data", ("text/plain", "second"))])
        handles = [m for m in outs if m["msg_type"].endswith("display_data")][11:]
        ids = {m["content"]["transient"]["display_id"] for m in handles}
        self.assertEqual(len(ids), 1)

    # ---- process.exit ----

    def test_process_exit_says_so_and_ends_the_kernel(self):
        """process.exit(3) in a cell: stderr to the cell naming it, then the kernel process ends (its own kernel here)."""
        import time
        from jupyter_client.manager import start_new_kernel
        km, kc = start_new_kernel(kernel_name=self.kernel_name, startup_timeout=120)
        try:
            msg_id = kc.execute("console.log('before');\nprocess.exit(3);\nconsole.log('never')")
            texts = []
            deadline = time.time() + 120
            while time.time() < deadline and not any("process.exit" in t for t in texts):
                try:
                    m = kc.get_iopub_msg(timeout=1)
                except Exception:
                    continue
                if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream":
                    texts.append((m["content"]["name"], m["content"]["text"]))
                    texts[-1] = texts[-1][0] + ":" + texts[-1][1]
            self.assertEqual(texts[0], "stdout:before\n")
            self.assertTrue(texts[-1].startswith("stderr:process.exit(3) called in cell[1]: the kernel process ends now"), texts)
            deadline = time.time() + 20
            while km.is_alive() and time.time() < deadline:
                time.sleep(0.1)
            self.assertFalse(km.is_alive())
            self.assertFalse(any("never" in t for t in texts))
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    # ---- stdin: prompt() and readline ----

    def _answer_input(self, exec_id, value):
        req = self.kc.get_stdin_msg(timeout=60)
        self.assertEqual(req["msg_type"], "input_request")
        self.assertEqual(req["parent_header"]["msg_id"], exec_id)
        self.kc.input(value)
        return req["content"]

    def _result_of(self, exec_id):
        outs = self._iopub_for(exec_id, timeout=60)
        reply = self._shell_reply(exec_id)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        return outs, [m["content"]["data"]["text/plain"] for m in outs if m["msg_type"] == "execute_result"]

    def test_prompt_input_request(self):
        """prompt('Name?') sends input_request with that prompt and returns the input_reply's value (twice in one cell)."""
        self.flush_channels()
        exec_id = self.kc.execute("const who = prompt('Name?');\nconst age = prompt('Age?', '7');\n`hi ${who} ${age}`", allow_stdin=True)
        self.assertEqual(self._answer_input(exec_id, "ada"), {"prompt": "Name?", "password": False})
        self.assertEqual(self._answer_input(exec_id, "")["prompt"], "Age?")
        _, results = self._result_of(exec_id)
        self.assertEqual(results, ["'hi ada 7'"])

    def test_prompt_without_allow_stdin_is_an_error(self):
        self.flush_channels()
        exec_id = self.kc.execute("prompt('Name?')", allow_stdin=False)
        reply = self._shell_reply(exec_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertIn("allow_stdin: false", reply["content"]["evalue"])
        self.assertIn("prompt()", reply["content"]["evalue"])

    def test_readline_question_over_stdin(self):
        """readline.createInterface({ input: process.stdin }): question() (callback and promises) asks the front end."""
        self.flush_channels()
        code = (
            "import * as readline from 'readline';\n"
            "import * as rlp from 'readline/promises';\n"
            "const rl = readline.createInterface({ input: process.stdin, output: process.stdout });\n"
            "const colour: string = await new Promise((r) => rl.question('Colour? ', r));\n"
            "rl.close();\n"
            "const rl2 = rlp.createInterface({ input: process.stdin });\n"
            "const size = await rl2.question('Size? ');\n"
            "rl2.close();\n"
            "colour.toUpperCase() + '/' + size"
        )
        exec_id = self.kc.execute(code, allow_stdin=True)
        self.assertEqual(self._answer_input(exec_id, "red")["prompt"], "")  # readline wrote 'Colour? ' to stdout
        self.assertEqual(self._answer_input(exec_id, "L")["prompt"], "Size? ")  # no output stream: the prompt says it
        outs, results = self._result_of(exec_id)
        self.assertEqual(results, ["'RED/L'"])
        self.assertIn("Colour? ", "".join(m["content"]["text"] for m in outs if m["msg_type"] == "stream"))

    # ---- V8 heap cap (TSCNN_KERNEL_MAX_OLD_SPACE_MB, kernels/launch.sh) ----

    def test_heap_cap_applied_warned_and_restartable(self):
        """The cap from the environment reaches V8; filling the heap warns in the cell, then the kernel ends."""
        import os
        import time
        from jupyter_client.manager import start_new_kernel
        env = {**os.environ, "TSCNN_KERNEL_MAX_OLD_SPACE_MB": "400"}
        km, kc = start_new_kernel(kernel_name=self.kernel_name, startup_timeout=120, env=env)
        try:
            msg_id = kc.execute("Math.round(require('v8').getHeapStatistics().heap_size_limit / 2 ** 20)")
            reply = kc.get_shell_msg(timeout=240)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = kc.get_shell_msg(timeout=240)
            limit = None
            while limit is None:
                m = kc.get_iopub_msg(timeout=30)
                if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_result":
                    limit = int(m["content"]["data"]["text/plain"])
            self.assertGreaterEqual(limit, 400)
            self.assertLess(limit, 500)  # the default cap here is several GiB
            msg_id = kc.execute(
                "const keep: number[][] = [];\n"
                "for (;;) { keep.push(Array.from({ length: 1e5 }, (_, i) => i + 0.5)); await new Promise((r) => setImmediate(r)); }"
            )
            warned = []
            deadline = time.time() + 240
            while km.is_alive() and time.time() < deadline:
                try:
                    m = kc.get_iopub_msg(timeout=0.5)
                except Exception:
                    continue
                if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream" and m["content"]["name"] == "stderr":
                    warned.append(m["content"]["text"])
            self.assertFalse(km.is_alive(), "the kernel should end when its heap is full")
            self.assertTrue(any("JavaScript heap is at" in t and "TSCNN_KERNEL_MAX_OLD_SPACE_MB=400" in t for t in warned), warned)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_launch_rejects_a_bad_heap_cap(self):
        import os
        import subprocess
        launch = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "launch.sh")
        r = subprocess.run(["/bin/sh", launch, "node", "/nonexistent.json"], env={**os.environ, "TSCNN_KERNEL_MAX_OLD_SPACE_MB": "lots"},
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 2)
        self.assertIn("TSCNN_KERNEL_MAX_OLD_SPACE_MB must be a whole number of MiB", r.stderr)
        self.assertIn("'lots'", r.stderr)


if __name__ == "__main__":
    unittest.main()
