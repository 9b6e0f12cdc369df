"""Prints a greeting with the versions of Python and requests it runs on.

requests comes from the project file's packages, so it is in every image
nixlayer builds for this project, the devcontainer and the runtime image.
"""

import platform
import sys

import requests


def greeting(name: str) -> str:
    """Returns the line that main prints for name."""
    return f"Hello, {name}: Python {platform.python_version()}, requests {requests.__version__}"


def main(argv: list[str]) -> int:
    name = argv[1] if len(argv) > 1 else "nixlayer"
    print(greeting(name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
