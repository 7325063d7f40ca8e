#!/usr/bin/env bash
# Builds a Debian bookworm base image with Debian's python3 and imports it as localhost/<name>.
# Why: the official python:*-slim image cannot be pulled where CI runs (no registry but PyPI, npm and
# Debian apt), so the image test builds on this base instead, via the Dockerfile's BASE_IMAGE arg.
# The import is kept in podman's storage and skipped when present: debootstrap takes ~40 s.
#
#   usage: build-base.sh [IMAGE_NAME]   (default localhost/order-events-base:bookworm)
#   env:   IMAGE_STORAGE_DRIVER (default vfs), DEBIAN_MIRROR (default http://deb.debian.org/debian),
#          DEB_ARCH (default: the host's; another one, e.g. arm64, needs qemu-user-static and binfmt_misc)
set -euo pipefail
name="${1:-localhost/order-events-base:bookworm}"
driver="${IMAGE_STORAGE_DRIVER:-vfs}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
arch="${DEB_ARCH:-$(dpkg --print-architecture)}"

if podman --storage-driver "$driver" image exists "$name"; then
  echo "build-base: $name already present" >&2
  exit 0
fi
rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
chmod 0755 "$rootfs"  # mktemp made it 0700, and it becomes the image's /
debootstrap --arch="$arch" --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$rootfs" "$mirror" >&2
# Trim what a runtime never reads (as python:slim does): apt lists and caches, docs, man pages, locales.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*
find "$rootfs"/usr/share/locale -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} +
tar -C "$rootfs" --numeric-owner -c . \
  | podman --storage-driver "$driver" import --arch "$arch" --change 'CMD ["python3"]' - "$name" >&2
echo "build-base: imported $name" >&2
