"""Makes the Debian python3-* packages importable from any Python 3.11 interpreter.

The reference tools need only NumPy (plus jinja2 and regex for the tokenizer/chat goldens), installed
as Debian packages (`apt-get install -y python3-numpy python3-jinja2 python3-regex`). When `python3` on
PATH is another CPython 3.11 build (pyenv, for example) it does not see /usr/lib/python3/dist-packages;
append it so the same commands work with either interpreter.
"""
import sys

_DIST = "/usr/lib/python3/dist-packages"

try:
    import numpy  # noqa: F401
except ImportError:
    if _DIST not in sys.path:
        sys.path.append(_DIST)
    import numpy  # noqa: F401
