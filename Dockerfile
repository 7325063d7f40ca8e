# The order handler's production image: `python -m handler` on 0.0.0.0:8080, as a non-root user.
# Build:  docker build --build-arg RDS_CA_BUNDLE_SHA256=<sha256> -t order-events .   (see docs/image.md)
#
# BASE_IMAGE must have python3 >= 3.11 with venv support, and coreutils (sha256sum); every stage uses it,
# so the venv built in stage 2 finds the same interpreter in stage 3. Any tag of the official
# slim image works, and so does a Debian base with Debian's python3 (the project's tests use one).
# Not pinned by digest: no registry can be reached from where this was written; pin one when you can.
ARG BASE_IMAGE=python:3.13-slim-trixie

# Stage 1: the Amazon RDS CA bundle, for DocumentDB TLS. Its own stage, so a new bundle does not
# invalidate the dependency layers (and BuildKit fetches it while stage 2 installs).
FROM ${BASE_IMAGE} AS rds-ca
# AWS's URL (the default), or a path inside the build context for an offline build (.dockerignore lets
# through ./global-bundle.pem). Either way it must match RDS_CA_BUNDLE_SHA256. That default is empty on
# purpose: AWS changes the file now and then, and its current checksum could not be verified where this
# was written (no route to AWS), so the build refuses an unpinned bundle and prints the sha256 it got,
# for you to check and pass or pin here.
ARG RDS_CA_BUNDLE=https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
ARG RDS_CA_BUNDLE_SHA256=
# ADD takes both a URL and a context path, so one instruction serves both kinds of RDS_CA_BUNDLE.
ADD ${RDS_CA_BUNDLE} /opt/rds/global-bundle.pem
RUN got="$(sha256sum /opt/rds/global-bundle.pem | cut -d' ' -f1)" \
 && if [ "$got" != "$RDS_CA_BUNDLE_SHA256" ]; then \
      echo "RDS CA bundle from ${RDS_CA_BUNDLE} has sha256 ${got}; RDS_CA_BUNDLE_SHA256 is" \
           "'${RDS_CA_BUNDLE_SHA256}'. Check the file, then pass --build-arg RDS_CA_BUNDLE_SHA256=${got}." >&2; \
      exit 1; \
    fi \
 && chmod 0444 /opt/rds/global-bundle.pem


# Stage 2: the virtualenv with the handler's locked dependencies, and handler/.
FROM ${BASE_IMAGE} AS build
ARG UV_VERSION=0.13.8
# uv from PyPI rather than its container image, so a build that reaches only PyPI works. Build-stage only.
# PIP_CERT/UV_SYSTEM_CERTS: use the system CA store, where a build host behind a TLS proxy can mount its own.
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_DISABLE_PIP_VERSION_CHECK=1 UV_SYSTEM_CERTS=1
RUN python3 -m venv /opt/uv && /opt/uv/bin/pip install --no-cache-dir --quiet "uv==${UV_VERSION}"

# The handler's [project] dependencies, exactly as locked: no dev/infra/bench groups, no ops extra, and
# not the project itself (only handler/ is needed, copied below). The venv uses the base's python3.
# Bytecode is compiled here: the root filesystem is read-only at run time, so without it every task
# start compiles from source (bench/ measured cold start 0.8-1.2 s without .pyc, 0.34-0.49 s with;
# the .pyc files add about 28 MB).
ENV UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON=python3 UV_PYTHON_DOWNLOADS=never \
    UV_LINK_MODE=copy UV_NO_CACHE=1 UV_COMPILE_BYTECODE=1
WORKDIR /src
COPY pyproject.toml uv.lock ./
RUN /opt/uv/bin/uv sync --locked --no-default-groups --no-install-project --no-editable

COPY handler/ /app/handler/
RUN python3 -m compileall -q /app/handler


# Stage 3: what runs. Only the base, a user, the venv, handler/ and the bundle.
FROM ${BASE_IMAGE} AS runtime
# A fixed numeric uid, so an orchestrator's "run as non-root" check can see it is not 0.
RUN useradd --user-group --uid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin app
# Root-owned and read-only to the app user: the process cannot change its own code.
COPY --from=build /opt/venv /opt/venv
COPY --from=rds-ca /opt/rds/global-bundle.pem /opt/rds/global-bundle.pem
COPY --from=build /app /app

# HANDLER_SQLITE_PATH: the embedded store (used only without MONGODB_URI) writes to /tmp; with a read-only
# root give it a tmpfs (`docker run --read-only --tmpfs /tmp`). With MONGODB_URI (as on ECS) the handler
# writes nothing, so the task mounts nothing at all.
# MONGODB_TLS_CA_FILE is left to the task definition (it turns TLS on); the bundle is at /opt/rds/.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH=/app \
    HANDLER_HOST=0.0.0.0 \
    HANDLER_PORT=8080 \
    HANDLER_SQLITE_PATH=/tmp/orders.sqlite3
WORKDIR /app
USER 10001:10001
EXPOSE 8080
# No curl in a slim image; the venv's python is there anyway. Reads HANDLER_PORT in case it is changed.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('HANDLER_PORT', '8080'), timeout=2)"]
CMD ["python", "-m", "handler"]
