"""jupyter_kernel_test's standard test class against the "TypeScript (tscnn)" kernel.

Run with JUPYTER_PATH pointing at a folder holding kernels/tscnn (see kernels/install.js):
    JUPYTER_PATH=.jupyter-local/share/jupyter /usr/bin/python3 -m unittest kernels/test/test_tscnn_kernel.py
"""
import unittest

import jupyter_kernel_test as jkt


class TscnnKernelTests(jkt.KernelTests):
    kernel_name = "tscnn"
    language_name = "typescript"
    file_extension = ".ts"

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
        self.flush_channels()
        reply, outputs = self.execute_helper('const n: number = "x";')
        c = reply["content"]
        self.assertEqual(c["status"], "error")
        self.assertEqual(c["ename"], "TSError")
        self.assertIn("line 1", c["evalue"])
        self.assertIn("not assignable", c["evalue"])

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

    def test_interrupt_keeps_state(self):
        """SIGINT (the stop button) ends an awaiting loop with KeyboardInterrupt; state survives."""
        import threading
        import time
        self.flush_channels()
        reply, _ = self.execute_helper("let kept = 7")
        self.assertEqual(reply["content"]["status"], "ok")
        timer = threading.Timer(1.5, self.km.interrupt_kernel)
        timer.start()
        t0 = time.time()
        reply, outputs = self.execute_helper(
            "const { checkInterrupt } = { checkInterrupt: () => (globalThis as any)[Symbol.for('tscnn.kernel')].checkInterrupt() };\n"
            "let steps = 0;\n"
            "while (true) { await new Promise((r) => setTimeout(r, 10)); checkInterrupt(); steps++; }",
            timeout=30,
        )
        timer.join()
        self.assertLess(time.time() - t0, 20)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        self.assertEqual(reply["content"]["evalue"], "interrupted by the user")
        reply, outputs = self.execute_helper("kept * 6")
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "42")

    def test_sync_loop_interrupt(self):
        """A synchronous infinite loop is broken by SIGINT too (vm breakOnSigint)."""
        import threading
        self.flush_channels()
        timer = threading.Timer(1.5, self.km.interrupt_kernel)
        timer.start()
        reply, _ = self.execute_helper("let spins = 0; while (true) { spins++; }", timeout=30)
        timer.join()
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
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


if __name__ == "__main__":
    unittest.main()
