# The single-user server image for a Kubernetes class hub (Zero to JupyterHub, docs/helm/).
# One student's Notebook 6 server with the tscnn kernel and the course, built from this checkout
# by the same set-up script as a laptop or CI: Debian packages (Jupyter, JupyterHub 3.0's
# jupyterhub-singleuser, …), npm ci, the wasm kernels and the kernel spec.
#   docker build -t tscnn-singleuser:0.1.0 .
# The course is copied into the student's home when the server starts (singleuser.lifecycleHooks
# in docs/helm/values.yaml runs scripts/hub/course_sync.py: new notebooks arrive, the student's
# edited ones are kept).

# Debian 12 (bookworm) with Node 20 (the project needs Node >= 20.19; Debian's own is 18).
FROM node:20-bookworm

WORKDIR /opt/tscnn
COPY . /opt/tscnn
RUN bash scripts/setup.sh

# The kernel spec that set-up wrote into the checkout; JupyterHub's single-user server from Debian.
ENV JUPYTER_PATH=/opt/tscnn/.jupyter-local/share/jupyter \
    TSCNN_KERNEL_MAX_OLD_SPACE_MB=1536
# The node image's unprivileged account (uid 1000); the chart mounts the student's volume on its home.
USER node
WORKDIR /home/node
EXPOSE 8888
CMD ["jupyterhub-singleuser"]
