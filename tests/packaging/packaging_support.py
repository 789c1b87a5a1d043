"""Helpers shared by the packaging tests: a hermetic environment for running folio and the
argument handling of each test script."""
import os
import sys
import tempfile
import unittest

_XDG_DATA_HOME = tempfile.TemporaryDirectory(prefix="folio-xdg-")


def headless_env():
    """The environment without a display or resource/library overrides; XDG_DATA_HOME is private, so
    nothing a test runs may touch the user's library."""
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "FOLIO_RESOURCES", "LD_LIBRARY_PATH"):
        env.pop(name, None)
    env["XDG_DATA_HOME"] = _XDG_DATA_HOME.name
    return env


def parse_and_run(parser, path_args):
    """Parses the script's own arguments (path_args made absolute), runs unittest on the rest."""
    args, rest = parser.parse_known_args()
    for name in path_args:
        setattr(args, name, os.path.abspath(getattr(args, name)))
    return args, lambda: unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
