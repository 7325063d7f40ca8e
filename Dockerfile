# The order handler's production image: `python -m handler` on 0.0.0.0:8080, as a non-root user.
# Build:  docker build -t order-events .   (docs/image.md; pin the RDS CA bundle with
#         --build-arg RDS_CA_BUNDLE_SHA256=<sha256>, as the Pulumi program always does)
#
# BASE_IMAGE must have python3 >= 3.11 with venv support, and coreutils (sha256sum); every stage uses it,
# so the venv built in stage 2 finds the same interpreter in stage 3. Any tag of the official
# slim image works, and so does a Debian base with Debian's python3 (the project's tests use one).
# Not pinned by digest: no registry can be reached from where this was written; pin one when you can.
ARG BASE_IMAGE=python:3.13-slim-trixie

# Stage 1: the Amazon RDS CA bundle, for DocumentDB TLS. Its own stage, so a new bundle does not
# invalidate the dependency layers (and BuildKit fetches it while stage 2 installs).
FROM ${BASE_IMAGE} AS rds-ca
# AWS's URL (the default: AWS's DocumentDB guide says to download the bundle from there), or a path inside
# the build context for an offline build (.dockerignore lets through ./global-bundle.pem).
ARG RDS_CA_BUNDLE=https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
# A pin: when set, the bundle must have this sha256 or the build fails. When empty, whatever was fetched is
# accepted and its sha256 printed; either way it is recorded next to the bundle (global-bundle.pem.sha256).
ARG RDS_CA_BUNDLE_SHA256=
# ADD takes both a URL and a context path, so one instruction serves both kinds of RDS_CA_BUNDLE.
# hadolint's DL3020 ("Use COPY instead of ADD for files and folders", an error) cannot tell that the
# variable is usually a URL, which COPY cannot fetch; the sha256 step below checks what ADD brought.
# hadolint ignore=DL3020
ADD ${RDS_CA_BUNDLE} /opt/rds/global-bundle.pem
# Fail closed: no pipe, and `set -e` stops on a failing sha256sum (the assignment takes its status); the
# result must then be 64 hex digits before it is compared or recorded.
RUN set -eu; \
    got="$(sha256sum /opt/rds/global-bundle.pem)"; got="${got%% *}"; \
    case "$got" in *[!0-9a-f]*) got= ;; esac; \
    if [ "${#got}" -ne 64 ]; then echo "sha256sum gave no checksum for the RDS CA bundle" >&2; exit 1; fi; \
    if [ -n "$RDS_CA_BUNDLE_SHA256" ] && [ "$got" != "$RDS_CA_BUNDLE_SHA256" ]; then \
      echo "RDS CA bundle from ${RDS_CA_BUNDLE} has sha256 ${got}; RDS_CA_BUNDLE_SHA256 is" \
           "'${RDS_CA_BUNDLE_SHA256}'. Check the file, then pass --build-arg RDS_CA_BUNDLE_SHA256=${got}." >&2; \
      exit 1; \
    fi; \
    echo "RDS CA bundle from ${RDS_CA_BUNDLE} has sha256 ${got}${RDS_CA_BUNDLE_SHA256:+ (as pinned)}"; \
    printf '%s  global-bundle.pem\n' "$got" > /opt/rds/global-bundle.pem.sha256; \
    chmod 0444 /opt/rds/global-bundle.pem /opt/rds/global-bundle.pem.sha256


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
COPY --from=rds-ca /opt/rds/ /opt/rds/
COPY --from=build /app /app
# The pinned sha256 of the bundle, for `docker inspect` (empty for an unpinned local build, whose sha256
# is in /opt/rds/global-bundle.pem.sha256 and the build log). Late, so a new bundle rebuilds little.
ARG RDS_CA_BUNDLE_SHA256=
LABEL order-events.rds-ca-bundle.sha256="${RDS_CA_BUNDLE_SHA256}"

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
