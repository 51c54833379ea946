import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * scripts/hub/course_sync.py: the course delivered into a student's folder at each spawn with
 * nbgitpuller's merge rule (new files arrive, untouched ones are updated, the student's changes
 * are never overwritten, deleted ones come back).
 */
const SYNC = path.resolve(__dirname, '../../scripts/hub/course_sync.py');
const PY = process.env.TSCNN_PYTHON || '/usr/bin/python3';

interface Report { added: string[]; updated: string[]; kept: string[]; restored: string[]; unchanged: number }

describe('hub: course sync (nbgitpuller merge rule)', function () {
  this.timeout(30_000);
  let dir = '';
  let src = '';
  let dest = '';
  const put = (root: string, rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const get = (rel: string) => fs.readFileSync(path.join(dest, rel), 'utf8');
  const sync = (): Report => {
    const r = spawnSync(PY, [SYNC, src, dest], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    return JSON.parse(r.stdout);
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-sync-'));
    src = path.join(dir, 'checkout');
    dest = path.join(dir, 'home/tscnn-course');
    put(src, 'notebooks/01-a.ipynb', 'a v1');
    put(src, 'notebooks/02-b.ipynb', 'b v1');
    put(src, 'notebooks/en/03-c.ipynb', 'c v1');
    put(src, 'notebooks/src/01-a.nb', 'build source'); // not course material
    put(src, 'notebooks/notes.txt', 'not a notebook');
    put(src, 'data/chelsea.png', 'png');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('first login: copies the notebooks (any depth) and data/, not the build sources', () => {
    const r = sync();
    expect(r.added).to.deep.equal(['data/chelsea.png', 'notebooks/01-a.ipynb', 'notebooks/02-b.ipynb', 'notebooks/en/03-c.ipynb']);
    expect(get('notebooks/en/03-c.ipynb')).to.equal('c v1');
    expect(fs.existsSync(path.join(dest, 'notebooks/src'))).to.equal(false);
    expect(fs.existsSync(path.join(dest, 'notebooks/notes.txt'))).to.equal(false);
    expect(sync()).to.deep.equal({ added: [], updated: [], kept: [], restored: [], unchanged: 4 });
  });

  it('lecturer update: new notebooks arrive, untouched ones update, the student\'s edit is kept', () => {
    sync();
    put(dest, 'notebooks/01-a.ipynb', 'a edited by the student');
    put(src, 'notebooks/01-a.ipynb', 'a v2');
    put(src, 'notebooks/02-b.ipynb', 'b v2');
    put(src, 'notebooks/04-d.ipynb', 'd v1');
    const r = sync();
    expect(r.kept).to.deep.equal(['notebooks/01-a.ipynb']);
    expect(r.updated).to.deep.equal(['notebooks/02-b.ipynb']);
    expect(r.added).to.deep.equal(['notebooks/04-d.ipynb']);
    expect(get('notebooks/01-a.ipynb')).to.equal('a edited by the student');
    expect(get('notebooks/02-b.ipynb')).to.equal('b v2');
    // the edited file stays the student's on every later sync too
    put(src, 'notebooks/01-a.ipynb', 'a v3');
    expect(sync().kept).to.deep.equal(['notebooks/01-a.ipynb']);
    expect(get('notebooks/01-a.ipynb')).to.equal('a edited by the student');
  });

  it('a student\'s own file under a name the course later uses is kept; a delivered file deleted is restored', () => {
    sync();
    put(dest, 'notebooks/05-mine.ipynb', 'my own notebook');
    put(src, 'notebooks/05-mine.ipynb', 'the lecturer\'s 05');
    fs.rmSync(path.join(dest, 'notebooks/02-b.ipynb'));
    const r = sync();
    expect(r.kept).to.deep.equal(['notebooks/05-mine.ipynb']);
    expect(r.restored).to.deep.equal(['notebooks/02-b.ipynb']);
    expect(get('notebooks/05-mine.ipynb')).to.equal('my own notebook');
    expect(get('notebooks/02-b.ipynb')).to.equal('b v1');
  });

  it('never deletes: a notebook removed from the course stays in the student\'s copy', () => {
    sync();
    fs.rmSync(path.join(src, 'notebooks/02-b.ipynb'));
    sync();
    expect(get('notebooks/02-b.ipynb')).to.equal('b v1');
  });

  it('a damaged record of what was delivered keeps every existing file (nothing overwritten)', () => {
    sync();
    fs.writeFileSync(path.join(dest, '.tscnn-course.json'), '{not json');
    put(src, 'notebooks/01-a.ipynb', 'a v2');
    const r = sync();
    expect(r.kept).to.deep.equal(['notebooks/01-a.ipynb']);
    expect(get('notebooks/01-a.ipynb')).to.equal('a v1');
  });

  it('a symlink the student put in place of a notebook is left alone, not followed', () => {
    sync();
    const outside = path.join(dir, 'outside.txt');
    fs.writeFileSync(outside, 'outside');
    fs.rmSync(path.join(dest, 'notebooks/01-a.ipynb'));
    fs.symlinkSync(outside, path.join(dest, 'notebooks/01-a.ipynb'));
    put(src, 'notebooks/01-a.ipynb', 'a v2');
    expect(sync().kept).to.deep.equal(['notebooks/01-a.ipynb']);
    expect(fs.readFileSync(outside, 'utf8')).to.equal('outside');
  });

  it('a checkout without notebooks/ is an error naming it', () => {
    const r = spawnSync(PY, [SYNC, path.join(dir, 'nowhere'), dest], { encoding: 'utf8' });
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.match(/has no notebooks\/ folder/);
  });
});
