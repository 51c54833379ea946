#!/usr/bin/python3
"""Execute, sign and export the course notebooks (used by scripts/course.sh and scripts/slides.sh).

    build.py [--execute] [--html] [--slides] [--as-is] [--out DIR] [--timeout S] [NOTEBOOK ...]

--execute  run each notebook top to bottom on its kernel (nbclient) → OUT/executed/NAME.ipynb,
           signed so Notebook 6 trusts its outputs (scripts, plotly). Any error output fails.
--html     OUT/html/NAME.html from the executed notebook.
--slides   OUT/slides/NAME.slides.html (reveal.js), from OUT/executed/NAME.ipynb when it is up to
           date, else the notebook is executed first. Everything the page loads (reveal.js,
           require.js, jQuery, MathJax) is copied under OUT/slides/lib/ and referenced by a
           relative URL, so the folder works offline, from file:// or any static HTTP server.
--as-is    export the given notebooks as they are (already executed), without running them.
NOTEBOOK   default: every notebooks/en/*.ipynb and notebooks/zh/*.ipynb. Outputs are written to a
           temporary file and renamed.

A notebook in notebooks/<lang>/ (en, zh) goes to OUT/executed/<lang>/, OUT/html/<lang>/ and
OUT/slides/<lang>/ (the slides load OUT/slides/lib/ by '../lib/…'); OUT/index.html links every
lesson's HTML and slides in both languages.
"""
import argparse
import glob
import os
import shutil
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
LANGS = ['en', 'zh']
LANG_NAMES = {'en': 'English', 'zh': '简体中文'}
# Debian's packages (libjs-requirejs, libjs-jquery, libjs-mathjax) and npm's reveal.js 5.
REQUIRE_JS = '/usr/share/javascript/requirejs/require.min.js'
JQUERY = '/usr/share/javascript/jquery/jquery.min.js'
MATHJAX_DIR = '/usr/share/javascript/mathjax'
REVEAL_DIR = os.path.join(ROOT, 'node_modules', 'reveal.js')
# MathJax 2.7 parts the TeX-AMS_CHTML config loads (the 54 MB tree minus 'unpacked' and 'test').
MATHJAX_PARTS = ['MathJax.js', 'config', 'extensions', 'jax', 'fonts', 'localization']
MATHJAX_CONFIG = 'TeX-AMS_CHTML-full,Safe'
# Slides a lecturer can present at 1280×720 and 1024×768 (test/notebooks/slides-fit.test.ts): code lines
# wrap instead of running off the slide, outputs shrink to the slide's width, prompts take no room.
SLIDE_CSS = '''<style id="tscnn-slides">
.reveal .jp-InputArea-editor pre, .reveal .jp-RenderedText pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt { display: none; }
.reveal .jp-OutputArea-output { max-width: 100%; }
.reveal .jp-OutputArea-output > * { max-width: 100%; box-sizing: border-box; }
.reveal .jp-OutputArea-output img, .reveal .jp-OutputArea-output svg { max-width: 100% !important; min-width: 0; flex-shrink: 1; height: auto !important; } /* pictures carry max-width:none inline (crisp pixels in the notebook): on a slide they shrink */
.reveal .jp-OutputArea-output .js-plotly-plot, .reveal .jp-OutputArea-output .plotly-graph-div { zoom: 0.9; } /* fit's live chart is laid out 1000 px wide */
.reveal .tscnn-walk { zoom: 0.8; } /* a walkthrough puts x, k and y side by side: up to ~1070 px of 942 */
</style>
'''


def fail(msg):
    print(f'[course] {msg}', file=sys.stderr)
    sys.exit(1)


def write_atomic(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f'{path}.tmp-{os.getpid()}'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    os.replace(tmp, path)


def error_outputs(nb):
    """(cell index, text) of every error output, and of stderr streams that report an error."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get('outputs', []):
            if out.get('output_type') == 'error':
                found.append((i, f"{out.get('ename', '')}: {out.get('evalue', '')}"))
    return found


def execute(src, dest, timeout):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbformat.sign import NotebookNotary

    nb = nbformat.read(src, as_version=4)
    kernel = nb.metadata.get('kernelspec', {}).get('name', 'tscnn')
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel, allow_errors=False,
                            resources={'metadata': {'path': os.path.dirname(os.path.abspath(src))}})
    try:
        client.execute()
    except CellExecutionError as e:
        fail(f'{os.path.relpath(src, ROOT)}: a cell failed:\n{e}')
    errs = error_outputs(nb)
    if errs:
        fail(f'{os.path.relpath(src, ROOT)}: error output in ' + '; '.join(f'cell {i}: {t}' for i, t in errs))
    NotebookNotary().sign(nb)
    write_atomic(dest, nbformat.writes(nb))
    print(f'[course] executed {os.path.relpath(src, ROOT)} → {os.path.relpath(dest, ROOT)}')


def copy_tree_once(src, dest):
    if os.path.exists(dest):
        return
    tmp = f'{dest}.tmp-{os.getpid()}'
    shutil.rmtree(tmp, ignore_errors=True)
    if os.path.isdir(src):
        shutil.copytree(src, tmp, symlinks=False)
    else:
        os.makedirs(os.path.dirname(tmp), exist_ok=True)
        shutil.copy2(src, tmp)
    os.replace(tmp, dest)


def slide_assets(slides_dir):
    """Copy the page's JavaScript next to the slides; return the relative URLs for nbconvert."""
    lib = os.path.join(slides_dir, 'lib')
    for path, pkg in [(REQUIRE_JS, 'libjs-requirejs'), (JQUERY, 'libjs-jquery'), (os.path.join(MATHJAX_DIR, 'MathJax.js'), 'libjs-mathjax')]:
        if not os.path.exists(path):
            fail(f'{path} is missing: install the Debian package {pkg}')
    if not os.path.exists(os.path.join(REVEAL_DIR, 'dist', 'reveal.js')):
        fail(f'{REVEAL_DIR}/dist/reveal.js is missing: run npm install (reveal.js 5 is a devDependency)')
    copy_tree_once(REQUIRE_JS, os.path.join(lib, 'require.min.js'))
    copy_tree_once(JQUERY, os.path.join(lib, 'jquery.min.js'))
    os.makedirs(os.path.join(lib, 'reveal.js'), exist_ok=True)
    for part in ['dist', 'plugin']:
        copy_tree_once(os.path.join(REVEAL_DIR, part), os.path.join(lib, 'reveal.js', part))
    os.makedirs(os.path.join(lib, 'mathjax'), exist_ok=True)
    for part in MATHJAX_PARTS:
        copy_tree_once(os.path.join(MATHJAX_DIR, part), os.path.join(lib, 'mathjax', part))
    return {
        'reveal': 'lib/reveal.js',
        'require': 'lib/require.min.js',
        'jquery': 'lib/jquery.min.js',
        'mathjax': f'lib/mathjax/MathJax.js?config={MATHJAX_CONFIG}',
    }


def export(nb_path, dest, kind, urls=None):
    import nbformat
    from nbconvert import HTMLExporter, SlidesExporter
    from traitlets.config import Config

    c = Config()
    # An exercise's check cell is marked hide-input (its code would give the answer away): only its output is shown.
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_input_tags = {'hide-input'}
    if urls:
        if os.path.basename(os.path.dirname(dest)) in LANGS:
            urls = {k: f'../{v}' for k, v in urls.items()}
        c.SlidesExporter.reveal_url_prefix = urls['reveal']
        for cls in ('HTMLExporter', 'SlidesExporter'):
            c[cls].require_js_url = urls['require']
            c[cls].jquery_url = urls['jquery']
            c[cls].mathjax_url = urls['mathjax']
    if kind == 'slides':
        c.SlidesExporter.reveal_scroll = True  # a tall slide scrolls instead of being cut at the bottom
    exporter = (SlidesExporter if kind == 'slides' else HTMLExporter)(config=c)
    body, _ = exporter.from_notebook_node(nbformat.read(nb_path, as_version=4))
    if kind == 'slides':
        body = body.replace('</head>', f'{SLIDE_CSS}</head>', 1)
    write_atomic(dest, body)
    print(f'[course] {kind}: {os.path.relpath(dest, ROOT) if dest.startswith(ROOT) else dest}')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--execute', action='store_true')
    ap.add_argument('--html', action='store_true')
    ap.add_argument('--slides', action='store_true')
    ap.add_argument('--as-is', action='store_true')
    ap.add_argument('--out', default=os.path.join(ROOT, 'build'))
    ap.add_argument('--timeout', type=int, default=300)
    ap.add_argument('notebooks', nargs='*')
    a = ap.parse_args()
    nbs = a.notebooks or sorted(p for lang in LANGS for p in glob.glob(os.path.join(ROOT, 'notebooks', lang, '*.ipynb')))
    if not nbs:
        fail('no notebooks to build')
    out = os.path.abspath(a.out)
    urls = slide_assets(os.path.join(out, 'slides')) if a.slides else None
    built = []
    for nb in nbs:
        name = os.path.splitext(os.path.basename(nb))[0]
        lang = os.path.basename(os.path.dirname(os.path.abspath(nb)))
        sub = lang if lang in LANGS else ''
        executed = os.path.join(out, 'executed', sub, f'{name}.ipynb')
        if a.as_is:
            executed = nb
        elif a.execute or not os.path.exists(executed) or os.path.getmtime(executed) < os.path.getmtime(nb):
            execute(nb, executed, a.timeout)
        if a.html:
            export(executed, os.path.join(out, 'html', sub, f'{name}.html'), 'html')
        if a.slides:
            export(executed, os.path.join(out, 'slides', sub, f'{name}.slides.html'), 'slides', urls)
        built.append((sub, name, title_of(nb)))
    if a.html or a.slides:
        write_index(out, built, a.html, a.slides)


def title_of(nb_path):
    """The first markdown heading of a notebook (its lesson title)."""
    import nbformat
    for cell in nbformat.read(nb_path, as_version=4).cells:
        if cell.cell_type == 'markdown':
            for line in cell.source.splitlines():
                if line.startswith('#'):
                    return line.lstrip('#').strip()
    return os.path.splitext(os.path.basename(nb_path))[0]


def write_index(out, built, html, slides):
    """OUT/index.html: one list per language, each lesson with its HTML and slides links."""
    from html import escape
    parts = ['<!doctype html><html><head><meta charset="utf-8"><title>tscnn course</title>',
             '<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}li{margin:.3em 0}</style>',
             '</head><body><h1>tscnn — CNNs from scratch / 从零实现卷积神经网络</h1>']
    for lang in LANGS + ['']:
        rows = [(n, t) for s, n, t in built if s == lang]
        if not rows:
            continue
        parts.append(f'<h2>{escape(LANG_NAMES.get(lang, "other"))}</h2><ul>')
        prefix = f'{lang}/' if lang else ''
        for name, title in rows:
            links = []
            if html:
                links.append(f'<a href="html/{prefix}{name}.html">{escape(title)}</a>')
            if slides:
                links.append(f'<a href="slides/{prefix}{name}.slides.html">{"slides" if lang != "zh" else "幻灯片"}</a>')
            parts.append(f'<li>{" · ".join(links)}</li>')
        parts.append('</ul>')
    parts.append('</body></html>\n')
    write_atomic(os.path.join(out, 'index.html'), '\n'.join(parts))
    print(f'[course] index: {os.path.relpath(os.path.join(out, "index.html"), ROOT)}')


if __name__ == '__main__':
    main()
