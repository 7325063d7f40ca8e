"""The generated SDKs' public names, per language, and their checked-in snapshot (tests/sdk/surface.txt).

What a consumer's program names: TypeScript's exported declarations (with their namespace file),
Go's exported types, constructors and enum constants, Python's classes and enum members. Fields follow
the schema, whose own snapshot is provider/schema.json. After an intended change, rewrite it with

    uv run python -m tests.sdk.surface
"""

import re
import sys
from pathlib import Path

from tests.sdk import build

SNAPSHOT = Path(__file__).with_name("surface.txt")
REFRESH = "uv run python -m tests.sdk.surface"
_TS = re.compile(r"^export (?:declare )?(?:class|interface|const|type|function) (\w+)|^    (\w+): \"", re.M)
_GO = re.compile(r"^(?:type ([A-Z]\w*) |func (New\w+)\(|\t([A-Z]\w*) += \w+\(\")", re.M)
_PY = re.compile(r"^class (\w+)|^    ([A-Z][A-Z0-9_]*) = \"", re.M)


def surface(generated: Path) -> str:
    """One line per public name: `<language> <file> <name>`, sorted."""
    lines = set()
    for lang, pattern, glob in (("nodejs", _TS, "*.ts"), ("go", _GO, "*.go"), ("python", _PY, "*.py")):
        for path in (generated / lang).rglob(glob):
            if "internal" in path.parts or path.stem in ("utilities", "_utilities"):
                continue
            names = {next(n for n in match if n) for match in pattern.findall(path.read_text())}
            lines |= {f"{lang} {path.relative_to(generated / lang)} {n}" for n in names}
    return "".join(f"{line}\n" for line in sorted(lines))


def main() -> int:
    SNAPSHOT.write_text(surface(build.generate()))
    print(f"wrote {SNAPSHOT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
