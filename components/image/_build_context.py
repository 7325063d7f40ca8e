"""What goes into an image build, hashed into the tag the image is pushed under.

The tag is derived from exactly what the build sees: the files `.dockerignore` lets into the context
(path, executable bit, bytes; a symlink as its target), the Dockerfile, the `.dockerignore` itself, the
build args and the platform. Same inputs, same tag; any change, a new tag.

`.dockerignore` is read as Docker reads it (docs.docker.com, "Build context", .dockerignore files; moby
`patternmatcher`): one pattern a line, `#` comments, a leading `!` re-includes, `*` and `?` stop at `/`,
`**` spans directories, a pattern that matches a directory matches everything under it, and the last
pattern that matches a path decides.
"""

import fnmatch
import hashlib
import os
import posixpath
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

#: Every tag this project pushes starts so; the repository's lifecycle policy counts only these.
CONTENT_TAG_PREFIX = "content-"
Pattern = tuple[re.Pattern[str], bool, str]  # (regex, is an exception (a `!` pattern), the cleaned text)


def read_patterns(text: str) -> list[Pattern]:
    patterns = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exception = line.startswith("!")
        line = posixpath.normpath(line.removeprefix("!").strip()).lstrip("/")
        patterns.append((re.compile(_regex(line)), exception, line))
    return patterns


def _regex(pattern: str) -> str:
    out, i = "^", 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                i += 1
            out += ".*" if i == len(pattern) else "(.*/)?"
            continue
        if ch == "*":
            out += "[^/]*"
        elif ch == "?":
            out += "[^/]"
        elif ch == "[":  # a character class, passed through to the end bracket
            end = pattern.find("]", i + 1)
            if end < 0:
                out += re.escape(ch)
            else:
                out += "[" + pattern[i + 1 : end].replace("!", "^", 1).replace("\\", "\\\\") + "]"
                i = end
        elif ch == "\\" and i + 1 < len(pattern):
            i += 1
            out += re.escape(pattern[i])
        else:
            out += re.escape(ch)
        i += 1
    return out + "$"


def is_excluded(path: str, patterns: list[Pattern]) -> bool:
    """Whether a context-relative posix path is left out: the last pattern matching it or a parent decides."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for regex, exception, _ in patterns:
        if any(regex.match(c) for c in candidates):
            excluded = not exception
    return excluded


def _may_reinclude_under(directory: str, patterns: list[Pattern]) -> bool:
    """Whether some `!` pattern could match a path below `directory` (if unsure, yes)."""
    parts = directory.split("/")
    for _, exception, text in patterns:
        segments = text.split("/")
        if not exception:
            continue
        if "**" in segments[: len(parts) + 1]:
            return True
        if len(segments) > len(parts) and all(map(fnmatch.fnmatchcase, parts, segments)):
            return True
    return False


def admitted_files(context: Path, patterns: list[Pattern]) -> Iterator[str]:
    """The context-relative paths of the files the build sees, in a fixed order (a walk, names sorted)."""
    for top, dirs, files in os.walk(context):
        rel_top = Path(top).relative_to(context).as_posix()
        prefix = "" if rel_top == "." else f"{rel_top}/"
        # An excluded directory (.git, .venv) is not walked unless a `!` pattern could bring back something
        # under it, as Docker does when it sends the context.
        dirs[:] = sorted(
            d
            for d in dirs
            if not is_excluded(prefix + d, patterns) or _may_reinclude_under(prefix + d, patterns)
        )
        for name in sorted(files):
            if not is_excluded(prefix + name, patterns):
                yield prefix + name


def content_tag(context: Path, dockerfile: Path, build_args: Mapping[str, str], platform: str) -> str:
    """`content-<sha256 of everything the build sees, 40 hex>`: deterministic, and new for any change."""
    ignore_file = context / ".dockerignore"
    ignore = ignore_file.read_bytes() if ignore_file.is_file() else b""
    digest = hashlib.sha256()

    def feed(*values: bytes) -> None:
        for value in values:  # length-prefixed, so no two different inputs hash alike
            digest.update(b"%d:" % len(value) + value)

    feed(b"dockerfile", dockerfile.read_bytes(), b"dockerignore", ignore, b"platform", platform.encode())
    for key in sorted(build_args):
        feed(b"arg", key.encode(), build_args[key].encode())
    for rel in admitted_files(context, read_patterns(ignore.decode())):
        path = context / rel
        if path.is_symlink():
            feed(b"link", rel.encode(), os.readlink(path).encode())
        else:
            executable = b"x" if os.access(path, os.X_OK) else b"-"
            feed(b"file", rel.encode(), executable, path.read_bytes())
    return CONTENT_TAG_PREFIX + digest.hexdigest()[:40]
