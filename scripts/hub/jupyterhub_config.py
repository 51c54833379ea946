# JupyterHub 3 configuration for the tscnn class hub. Started by scripts/hub/hub.js
# (`npm run hub`), which passes every setting in TSCNN_HUB_* variables; see docs/classroom.md.
#   TSCNN_HUB_MODE         'pam' (local accounts: the class) or 'demo' (one password, 127.0.0.1)
#   TSCNN_HUB_IP/PORT      where the proxy listens for browsers
#   TSCNN_HUB_API_PORT, TSCNN_HUB_PROXY_API_PORT  internal ports (127.0.0.1)
#   TSCNN_HUB_STATE        the hub's database, cookie secret, pid file (and demo homes)
#   TSCNN_HUB_ROOT         the checkout: course source, node_modules, kernel
#   TSCNN_HUB_NODE, TSCNN_HUB_PYTHON  the interpreters
#   TSCNN_HUB_ADMINS       comma-separated admin (lecturer) names
#   TSCNN_HUB_GROUP        pam: the local group whose members may log in
#   TSCNN_HUB_IDLE_S       idle kernels and idle servers are shut down after this many seconds
#   TSCNN_HUB_KERNEL_HEAP_MB  V8 old-space cap per kernel (TSCNN_KERNEL_MAX_OLD_SPACE_MB)
#   TSCNN_HUB_JUPYTER_PATH demo: where the kernel spec is (pam: installed with --sys-prefix)
#   TSCNN_HUB_PASSWORD     demo: the password every user name logs in with
import os
import pwd
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import log_scrub  # noqa: E402
from spawn_hook import make_pre_spawn_hook  # noqa: E402

log_scrub.install()

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)
env = os.environ
mode = env['TSCNN_HUB_MODE']
root = env['TSCNN_HUB_ROOT']
state = env['TSCNN_HUB_STATE']
python = env.get('TSCNN_HUB_PYTHON', '/usr/bin/python3')
idle_s = int(env.get('TSCNN_HUB_IDLE_S', '3600'))

# --- network: browsers reach the proxy only; the hub API and the proxy API stay on loopback
c.JupyterHub.bind_url = f"http://{env['TSCNN_HUB_IP']}:{env['TSCNN_HUB_PORT']}"
c.JupyterHub.hub_ip = '127.0.0.1'
c.JupyterHub.hub_port = int(env['TSCNN_HUB_API_PORT'])
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['TSCNN_HUB_PROXY_API_PORT']}"
# Debian's node-configurable-http-proxy fails under Node 20 ("Cannot find module 'commander'"):
# run the npm package of the project's package-lock instead.
c.ConfigurableHTTPProxy.command = [
    env['TSCNN_HUB_NODE'],
    os.path.join(root, 'node_modules', 'configurable-http-proxy', 'bin', 'configurable-http-proxy'),
]
c.ConfigurableHTTPProxy.pid_file = os.path.join(state, 'proxy.pid')
c.JupyterHub.db_url = 'sqlite:///' + os.path.join(state, 'jupyterhub.sqlite')
c.JupyterHub.cookie_secret_file = os.path.join(state, 'jupyterhub_cookie_secret')
c.JupyterHub.pid_file = os.path.join(state, 'jupyterhub.pid')
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the students' servers

# --- who may log in
# User names become paths (demo homes) and account names: keep them plain.
c.Authenticator.username_pattern = r'^[a-z0-9][a-z0-9._-]{0,31}$'
c.Authenticator.admin_users = {a for a in env.get('TSCNN_HUB_ADMINS', '').split(',') if a}
if mode == 'demo':
    c.JupyterHub.authenticator_class = 'dummy'
    c.DummyAuthenticator.password = env['TSCNN_HUB_PASSWORD']
    # Every student runs as this account, each in their own folder under the state directory.
    c.JupyterHub.spawner_class = 'simple'
    c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(state, 'users', '{username}')
elif mode == 'pam':
    c.JupyterHub.authenticator_class = 'pam'
    c.PAMAuthenticator.open_sessions = False  # no pam_systemd session per server
    c.PAMAuthenticator.allowed_groups = {env['TSCNN_HUB_GROUP']}
    c.JupyterHub.spawner_class = 'localprocess'  # each server runs as the student's own account
else:
    raise ValueError(f'TSCNN_HUB_MODE must be pam or demo, not {mode!r}')

# --- the students' servers: Notebook 6 single-user servers on loopback
c.Spawner.cmd = [python, '-m', 'jupyterhub.singleuser']
c.Spawner.ip = '127.0.0.1'
c.Spawner.notebook_dir = '~'
c.Spawner.default_url = '/tree/tscnn-course/notebooks'
c.Spawner.start_timeout = 120  # a class logging in at once on a small machine
c.Spawner.http_timeout = 60
# Stopping a server: SIGINT, then SIGTERM, then SIGKILL. A server killed before it has shut down
# its kernels leaves them running with no parent, so give it time on a busy machine.
c.LocalProcessSpawner.interrupt_timeout = 30
c.LocalProcessSpawner.term_timeout = 15
spawn_args = [
    # idle culling (Debian has no jupyterhub-idle-culler): kernels with no activity are shut
    # down, then a server with no kernels and no requests shuts itself down (checked each minute)
    f'--MappingKernelManager.cull_idle_timeout={idle_s}',
    '--MappingKernelManager.cull_interval=60',
    '--MappingKernelManager.cull_connected=False',
    f'--NotebookApp.shutdown_no_activity_timeout={idle_s}',
]
if os.geteuid() == 0 and mode == 'demo':
    spawn_args.append('--allow-root')  # demo servers run as the hub's account, here root
c.Spawner.args = spawn_args
spawn_env = {
    # the kernel's V8 heap cap: a cell that exceeds it ends that kernel only (Jupyter restarts it)
    'TSCNN_KERNEL_MAX_OLD_SPACE_MB': env.get('TSCNN_HUB_KERNEL_HEAP_MB', '1536'),
}
if env.get('TSCNN_HUB_JUPYTER_PATH'):
    spawn_env['JUPYTER_PATH'] = env['TSCNN_HUB_JUPYTER_PATH']
c.Spawner.environment = spawn_env


def home_of(name):
    if mode == 'demo':
        return os.path.join(state, 'users', name)
    return pwd.getpwnam(name).pw_dir


c.Spawner.pre_spawn_hook = make_pre_spawn_hook(
    python=python,
    course_root=root,
    home_of=home_of,
    drop_privileges=(mode == 'pam'),
    create_home=(mode == 'demo'),
)
