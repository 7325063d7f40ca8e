"""Tools for development and tests only: not part of the wheel or the image (see pyproject.toml)."""
