#!/usr/bin/env python3
"""Checks that keep the desktop integration honest as the command line grows:
- the hand-written man page (packaging/man/folio.1) has a `.SS folio <command>` entry for every
  command that `folio --help` lists, naming each long option that `folio <command> --help` lists;
- `folio FILE...` (the desktop entry's `Exec=folio %F`) treats existing paths as files to open, while
  command names still win and unknown words stay usage errors."""
import argparse
import os
import re
import subprocess
import tempfile
import unittest

from packaging_support import headless_env, parse_and_run

ARGS = None
EXIT_FAILURE = 1
EXIT_USAGE = 64


def folio(*args, cwd=None):
    return subprocess.run([ARGS.folio, *args], capture_output=True, text=True, env=headless_env(), cwd=cwd,
                          timeout=60)


def help_section(text, title):
    """Entries of one CLI11 help section ('Subcommands:', 'Options:'): the first word of each line."""
    lines = text.splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.strip().lower() == title.lower())
    except StopIteration:
        return []
    entries = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        if line.startswith("  ") and not line.startswith("   " * 8):
            entries.append(line.split()[0])
    return entries


def man_text(roff):
    """The man page's roff source with font changes and escaped hyphens turned into plain text."""
    text = re.sub(r"\\f[BIRP]|\\f\(..|\\&", "", roff)
    return text.replace("\\-", "-")


def man_sections(roff):
    """{command: text of its `.SS folio <command> ...` entry up to the next .SS/.SH}."""
    sections, current = {}, None
    for line in man_text(roff).splitlines():
        m = re.match(r'\.SS\s+"?folio\s+(\S+)', line)
        if m:
            current = m.group(1).strip('"')
            sections[current] = ""
        elif line.startswith((".SS", ".SH")):
            current = None
        elif current:
            sections[current] += line + "\n"
    return sections


class ManPageCoversHelp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        p = folio("--help")
        if p.returncode != 0:
            raise AssertionError(f"folio --help exited {p.returncode}: {p.stderr}")
        cls.commands = help_section(p.stdout, "Subcommands:")
        with open(ARGS.manpage, encoding="utf-8") as f:
            cls.sections = man_sections(f.read())

    def test_help_lists_commands(self):
        self.assertIn("demo", self.commands, "could not read the command list from folio --help")

    def test_every_command_has_an_entry(self):
        missing = [c for c in self.commands if c not in self.sections]
        self.assertEqual(missing, [], f"{ARGS.manpage} has no `.SS folio <command> ...` entry under COMMANDS for "
                                      f"these commands from `folio --help`; add one (see the entry for demo)")

    def test_every_long_option_is_named(self):
        missing = []
        for command in self.commands:
            p = folio(command, "--help")
            self.assertEqual(p.returncode, 0, f"folio {command} --help: {p.stderr}")
            options = {o for entry in help_section(p.stdout, "Options:")
                       for o in re.findall(r"--[A-Za-z][\w-]*", entry) if o != "--help"}
            text = self.sections.get(command, "")
            missing += [f"folio {command} {o}" for o in sorted(options)
                        if not re.search(re.escape(o) + r"(?![\w-])", text)]
        self.assertEqual(missing, [], f"{ARGS.manpage} does not describe these options in the command's entry")


class FileArguments(unittest.TestCase):
    def test_existing_paths_open_the_window_or_say_why_not(self):
        with tempfile.TemporaryDirectory() as d:
            doc = os.path.join(d, "notes.md")
            with open(doc, "w") as f:
                f.write("# Notes\n")
            p = folio(doc, d)
        self.assertEqual(p.returncode, EXIT_FAILURE, p.stdout + p.stderr)
        self.assertIn("no display", p.stderr)
        self.assertIn(doc, p.stderr)
        self.assertIn(d, p.stderr)

    def test_a_missing_path_is_a_usage_error(self):
        with tempfile.TemporaryDirectory() as d:
            p = folio(os.path.join(d, "not-there.pdf"))
        self.assertEqual(p.returncode, EXIT_USAGE, p.stdout + p.stderr)

    def test_command_names_win_over_files_of_that_name(self):
        with tempfile.TemporaryDirectory() as d:
            open(os.path.join(d, "demo"), "w").close()
            p = folio("demo", "--samples", ARGS.samples, cwd=d)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertNotIn("no display", p.stderr)
            p = folio("demo", cwd=d)  # with a file named demo as the only argument: still the command
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folio", required=True, help="the folio executable")
    parser.add_argument("--manpage", required=True, help="packaging/man/folio.1")
    parser.add_argument("--samples", required=True, help="resources/samples")
    ARGS, run_tests = parse_and_run(parser, ("folio", "manpage", "samples"))
    run_tests()


if __name__ == "__main__":
    main()
