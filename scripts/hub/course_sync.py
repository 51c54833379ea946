#!/usr/bin/python3
"""Deliver the course into a student's folder without ever overwriting a student's change.

    python3 course_sync.py SOURCE_ROOT DEST_DIR

SOURCE_ROOT is the checkout; the course is its notebooks (notebooks/**/*.ipynb, the build
sources in notebooks/src excluded) and data/** (the notebooks read ../data/...), copied to
DEST_DIR with the same layout. DEST_DIR/.tscnn-course.json records the SHA-256 of every file as
last delivered. The merge rule is nbgitpuller's:

  - a file new in the course is copied in;
  - a file the student has not changed (its hash is the one delivered) is updated to the
    lecturer's new version;
  - a file the student changed, or created under a name the course now uses, is kept as it is;
  - a delivered file the student deleted is restored;
  - a file the course no longer has is left alone (student files are never deleted).

Run as the student (the hub drops privileges before calling it), so it only ever writes what the
student could write. Files are written to a temporary name and renamed. Prints one JSON line:
{"added": [...], "updated": [...], "kept": [...], "restored": [...], "unchanged": N}.
"""
import hashlib
import json
import os
import shutil
import sys
import tempfile

MANIFEST = '.tscnn-course.json'


def course_files(root):
    """Relative paths (with '/') of the files the course delivers, sorted."""
    out = []
    for top, want in (('notebooks', '.ipynb'), ('data', '')):
        base = os.path.join(root, top)
        for d, dirs, files in os.walk(base):
            rel_d = os.path.relpath(d, root)
            # the notebooks' build sources and Jupyter's checkpoints are not course material
            dirs[:] = sorted(x for x in dirs if not x.startswith('.')
                             and not (top == 'notebooks' and rel_d == 'notebooks' and x == 'src'))
            for f in sorted(files):
                if f.startswith('.') or not f.endswith(want):
                    continue
                out.append(os.path.join(rel_d, f).replace(os.sep, '/'))
    return sorted(out)


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 16), b''):
            h.update(block)
    return h.hexdigest()


def write_atomic(dest, data_from=None, text=None):
    d = os.path.dirname(dest)
    os.makedirs(d, mode=0o755, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix='.' + os.path.basename(dest) + '.', suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as out:
            if data_from is not None:
                with open(data_from, 'rb') as src:
                    shutil.copyfileobj(src, out)
            else:
                out.write(text.encode('utf-8'))
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load_manifest(dest_dir):
    try:
        with open(os.path.join(dest_dir, MANIFEST), encoding='utf-8') as f:
            m = json.load(f)
        return m.get('files', {}) if isinstance(m, dict) else {}
    except FileNotFoundError:
        return {}
    except ValueError:
        # A damaged manifest must not make us overwrite anything: with no record every existing
        # file counts as the student's own and is kept.
        return {}


def sync(source_root, dest_dir):
    if not os.path.isdir(os.path.join(source_root, 'notebooks')):
        raise SystemExit(f'course_sync: {source_root!r} has no notebooks/ folder')
    os.makedirs(dest_dir, mode=0o755, exist_ok=True)
    delivered = load_manifest(dest_dir)
    report = {'added': [], 'updated': [], 'kept': [], 'restored': [], 'unchanged': 0}
    for rel in course_files(source_root):
        src = os.path.join(source_root, rel)
        dst = os.path.join(dest_dir, rel)
        new = sha256(src)
        if os.path.islink(dst) or (os.path.exists(dst) and not os.path.isfile(dst)):
            report['kept'].append(rel)  # something of the student's own sits there
            continue
        if not os.path.exists(dst):
            write_atomic(dst, data_from=src)
            report['restored' if rel in delivered else 'added'].append(rel)
            delivered[rel] = new
            continue
        have = sha256(dst)
        if have == new:
            report['unchanged'] += 1
            delivered[rel] = new
        elif delivered.get(rel) == have:
            write_atomic(dst, data_from=src)  # untouched by the student: take the new version
            report['updated'].append(rel)
            delivered[rel] = new
        else:
            report['kept'].append(rel)  # the student's change wins
    write_atomic(os.path.join(dest_dir, MANIFEST),
                 text=json.dumps({'files': delivered}, indent=1, sort_keys=True) + '\n')
    return report


def main(argv):
    if len(argv) != 3:
        print('usage: course_sync.py SOURCE_ROOT DEST_DIR', file=sys.stderr)
        return 2
    print(json.dumps(sync(os.path.abspath(argv[1]), os.path.abspath(argv[2]))))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
