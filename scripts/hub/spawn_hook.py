"""The hub's pre-spawn step: a private home (0700) and the course delivered into it.

Runs in the hub (root in the class setting) before each student's server starts. The course copy
is made by course_sync.py running *as the student* (privileges dropped in the child), so the hub
never writes into a student's home as root and a student's symlink cannot redirect it.
"""
import asyncio
import json
import os
import pwd
import stat

SYNC = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'course_sync.py')
COURSE_DIR = 'tscnn-course'


def private_home(home, create):
    """Make sure `home` is a real directory with mode 0700 (students cannot read each other)."""
    if create:
        os.makedirs(home, mode=0o700, exist_ok=True)
    st = os.lstat(home)  # lstat: a symlinked home is refused, not followed
    if not stat.S_ISDIR(st.st_mode):
        raise RuntimeError(f'pre-spawn: home {home!r} is not a directory')
    changed = stat.S_IMODE(st.st_mode) & 0o077 != 0
    if changed:
        fd = os.open(home, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            os.fchmod(fd, 0o700)
        finally:
            os.close(fd)
    return changed


def _demote(uid, gid, user):
    def run():
        os.setgid(gid)
        os.initgroups(user, gid)
        os.setuid(uid)
    return run


async def deliver_course(python, course_root, home, user, drop_privileges):
    """Run course_sync.py into HOME/tscnn-course (as USER when drop_privileges); its report."""
    kw = {}
    if drop_privileges and os.geteuid() == 0:
        pw = pwd.getpwnam(user)
        kw['preexec_fn'] = _demote(pw.pw_uid, pw.pw_gid, user)
        env = {'HOME': home, 'USER': user, 'LOGNAME': user, 'PATH': '/usr/bin:/bin'}
    elif drop_privileges and pwd.getpwuid(os.geteuid()).pw_name != user:
        raise RuntimeError(f'pre-spawn: the hub must run as root to deliver the course to {user!r}')
    else:
        env = {'HOME': home, 'PATH': '/usr/bin:/bin'}
    proc = await asyncio.create_subprocess_exec(
        python, SYNC, course_root, os.path.join(home, COURSE_DIR), cwd=home, env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, **kw)
    out, err = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f'pre-spawn: delivering the course to {user!r} failed '
                           f'(exit {proc.returncode}): {err.decode(errors="replace").strip()}')
    return json.loads(out.decode().strip().splitlines()[-1])


def make_pre_spawn_hook(python, course_root, home_of, drop_privileges, create_home):
    """The function for c.Spawner.pre_spawn_hook (JupyterHub awaits it before spawning)."""
    async def pre_spawn(spawner):
        user = spawner.user.name
        home = home_of(user)
        if private_home(home, create_home):
            spawner.log.warning('pre-spawn: %s: home %s was readable by others; set to 0700', user, home)
        r = await deliver_course(python, course_root, home, user, drop_privileges)
        spawner.log.info('pre-spawn: %s: course added %d, updated %d, restored %d, kept %d '
                         '(student changes), unchanged %d', user, len(r['added']),
                         len(r['updated']), len(r['restored']), len(r['kept']), r['unchanged'])
    return pre_spawn
