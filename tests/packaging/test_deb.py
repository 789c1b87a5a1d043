#!/usr/bin/env python3
"""Builds Folio's Debian package in the build tree, unpacks it into a temporary root with `dpkg -x`
and checks it the way a person installing it would meet it: the file list, the desktop entry and the
AppStream metainfo (validated with their own tools), the icons in every hicolor size, the man page,
the control file (Depends from dpkg-shlibdeps, no CUDA package in it, nothing bundled but Folio's own
CUDA plugin), the installed `folio` linking no CUDA library, and the installed `folio --version` and
`folio demo` run from the unpacked location."""
import argparse
import configparser
import gzip
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

from packaging_support import headless_env, parse_and_run

ARGS = None
APP_ID = "io.github.folio.Folio"
ICON_SIZES = (16, 32, 48, 64, 128, 256)
CUDA_RE = re.compile(r"cuda|cublas|cudart|cudnn|nccl|nvidia", re.IGNORECASE)
BUNDLED_LIB_RE = re.compile(r"(^|/)lib[^/]*\.so(\.[0-9.]+)?$")
# Folio's own CUDA backend, loaded at run time (engine/model/cuda_plugin.h); present in CUDA builds
CUDA_PLUGIN = "usr/lib/folio/libfolio_cuda.so"
MIME_TYPES = {"application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "application/vnd.oasis.opendocument.text", "application/rtf", "message/rfc822",
              "application/vnd.oasis.opendocument.spreadsheet", "application/vnd.oasis.opendocument.presentation",
              "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint", "application/vnd.ms-outlook", "application/vnd.ms-outlook-pst", "application/mbox",
              "image/tiff", "image/png", "image/jpeg", "application/zip",
              "application/x-tar", "application/x-compressed-tar", "application/x-bzip-compressed-tar", "application/x-xz-compressed-tar", "application/x-7z-compressed",
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "application/vnd.openxmlformats-officedocument.presentationml.presentation",
              "text/markdown", "text/plain"}


def run(cmd, **kw):
    """Runs cmd; returns the CompletedProcess (text, captured). Raises with the output on failure."""
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {p.returncode}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p


def require_tool(name):
    path = shutil.which(name)
    if not path:
        raise AssertionError(f"{name} is not installed; run tools/install-deps.sh")
    return path


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise AssertionError(f"{path} is not a PNG file")
    return struct.unpack(">II", head[16:24])


class DebianPackage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in ("dpkg-deb", "dpkg-shlibdeps", "desktop-file-validate", "appstreamcli", "file"):
            require_tool(tool)
        # The package holds the binary, the rendered icons and the man page: build them (a no-op when
        # the tree is already built), then package into a directory of the test's own.
        run([ARGS.cmake, "--build", ARGS.build_dir, "--target", "folio", "folio_desktop_files"])
        shutil.rmtree(ARGS.out_dir, ignore_errors=True)
        os.makedirs(ARGS.out_dir)
        cls.cpack = run([ARGS.cpack, "-G", "DEB", "-B", ARGS.out_dir,
                         "--config", os.path.join(ARGS.build_dir, "CPackConfig.cmake")], cwd=ARGS.build_dir)
        debs = [f for f in os.listdir(ARGS.out_dir) if f.endswith(".deb")]
        if len(debs) != 1:
            raise AssertionError(f"expected one .deb in {ARGS.out_dir}, found {debs}\n{cls.cpack.stdout}")
        cls.deb = os.path.join(ARGS.out_dir, debs[0])
        cls.tmp = tempfile.TemporaryDirectory(prefix="folio-deb-")
        cls.root = cls.tmp.name
        run(["dpkg", "-x", cls.deb, cls.root])
        cls.files = sorted(os.path.relpath(os.path.join(d, f), cls.root)
                           for d, _, fs in os.walk(cls.root) for f in fs)
        control = run(["dpkg-deb", "--field", cls.deb]).stdout
        cls.control = {}
        for line in control.splitlines():
            if line and not line[0].isspace() and ":" in line:
                key, value = line.split(":", 1)
                cls.control[key] = value.strip()
        print(f"package {cls.deb}: {os.path.getsize(cls.deb)} bytes, {len(cls.files)} files, "
              f"Installed-Size {cls.control.get('Installed-Size')} KiB")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, rel):
        return os.path.join(self.root, rel)

    def assertInstalled(self, rel):
        self.assertIn(rel, self.files, f"{rel} is not in the package; it holds:\n" + "\n".join(self.files))

    def test_file_name_and_control_fields(self):
        self.assertEqual(self.control.get("Package"), "folio")
        self.assertEqual(self.control.get("Version"), ARGS.version)
        self.assertEqual(os.path.basename(self.deb),
                         f"folio_{ARGS.version}_{self.control.get('Architecture')}.deb")
        for key in ("Maintainer", "Section", "Description", "Architecture"):
            self.assertTrue(self.control.get(key), f"control field {key} is empty: {self.control}")

    def test_depends_computed_without_cuda(self):
        depends = self.control.get("Depends", "")
        self.assertTrue(depends, "Depends is empty: dpkg-shlibdeps did not run or found nothing")
        self.assertRegex(depends, r"\blibc6\b", "Depends was not computed from the binary's libraries")
        self.assertIsNone(CUDA_RE.search(depends), f"Depends names a CUDA package: {depends}")
        self.assertRegex(depends, r"\btesseract-ocr-eng\b", "OCR's language data is not a dependency")

    def test_nothing_bundled(self):
        libs = [f for f in self.files
                if f != CUDA_PLUGIN and (BUNDLED_LIB_RE.search(f) or CUDA_RE.search(os.path.basename(f)))]
        self.assertEqual(libs, [], "the package bundles shared libraries")

    def test_folio_links_no_cuda_library(self):
        # CUDA lives in the plugin, so the program starts on machines without the CUDA runtime
        needed = run(["objdump", "-p", self.path("usr/bin/folio")]).stdout
        cuda = [line for line in needed.splitlines() if "NEEDED" in line and CUDA_RE.search(line)]
        self.assertEqual(cuda, [], "usr/bin/folio needs CUDA libraries")
        if CUDA_PLUGIN in self.files:
            symbols = run(["nm", "-D", "--defined-only", self.path(CUDA_PLUGIN)]).stdout
            self.assertIn("folio_cuda_plugin_v1", symbols, "the CUDA plugin lacks its entry point")

    def test_binary_and_resources(self):
        self.assertInstalled("usr/bin/folio")
        self.assertTrue(os.access(self.path("usr/bin/folio"), os.X_OK))
        samples = [f for f in self.files if f.startswith("usr/share/folio/samples/")]
        source = os.path.join(ARGS.source_dir, "resources", "samples")
        expected = sorted("usr/share/folio/samples/" + os.path.relpath(os.path.join(d, f), source)
                          for d, _, fs in os.walk(source) for f in fs)
        self.assertEqual(samples, expected)
        self.assertEqual([f for f in self.files if f.startswith("usr/share/folio/icons/")], [],
                         "the icons belong in the hicolor theme, not in share/folio")

    def test_desktop_entry(self):
        rel = f"usr/share/applications/{APP_ID}.desktop"
        self.assertInstalled(rel)
        run(["desktop-file-validate", self.path(rel)])
        entry = configparser.ConfigParser(interpolation=None, strict=True)
        entry.optionxform = str
        entry.read(self.path(rel))
        main = entry["Desktop Entry"]
        self.assertEqual(main["Exec"].split()[0], "folio")
        self.assertEqual(main["Icon"], APP_ID)
        self.assertEqual({m for m in main["MimeType"].split(";") if m}, MIME_TYPES)
        actions = [a for a in main.get("Actions", "").split(";") if a]
        self.assertEqual(len(actions), 1, f"expected the one 'Add to library' action, got {actions}")
        action = entry[f"Desktop Action {actions[0]}"]
        self.assertEqual(action["Name"], "Add to library")
        self.assertTrue(action["Exec"].startswith("folio ingest "), action["Exec"])
        self.assertTrue(os.path.exists(self.path("usr/bin/" + main["TryExec"])))

    def test_metainfo(self):
        rel = f"usr/share/metainfo/{APP_ID}.metainfo.xml"
        self.assertInstalled(rel)
        run(["appstreamcli", "validate", "--no-net", self.path(rel)])
        root = ET.parse(self.path(rel)).getroot()
        self.assertEqual(root.findtext("id"), APP_ID)
        self.assertEqual(root.findtext("launchable"), f"{APP_ID}.desktop")
        self.assertInstalled(f"usr/share/applications/{root.findtext('launchable')}")
        self.assertEqual({m.text for m in root.iter("mediatype")}, MIME_TYPES)

    def test_icons_in_every_size(self):
        for size in ICON_SIZES:
            rel = f"usr/share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png"
            self.assertInstalled(rel)
            self.assertEqual(png_size(self.path(rel)), (size, size), rel)
        svg = f"usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg"
        self.assertInstalled(svg)
        self.assertEqual(ET.parse(self.path(svg)).getroot().tag, "{http://www.w3.org/2000/svg}svg")

    def test_man_page(self):
        rel = "usr/share/man/man1/folio.1.gz"
        self.assertInstalled(rel)
        with gzip.open(self.path(rel), "rt") as f:
            text = f.read()
        self.assertIn(".TH FOLIO 1", text)
        self.assertIn(f"Folio {ARGS.version}", text)
        self.assertIsNone(re.search(r"@[A-Z_]+@", text), "an unsubstituted @VARIABLE@ is left")
        if shutil.which("groff"):
            p = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z"], input=text, capture_output=True, text=True)
            self.assertEqual((p.returncode, p.stderr), (0, ""), "groff warns about the man page")

    def test_installed_version(self):
        p = run([self.path("usr/bin/folio"), "--version"], env=headless_env())
        self.assertEqual(p.stdout.strip(), f"folio {ARGS.version}")

    def test_installed_folio_finds_its_cuda_plugin(self):
        # <exe>/../lib/folio (engine/model/cuda_plugin.cpp): the installed plugin, not the build tree's
        p = run([self.path("usr/bin/folio"), "devices", "--json"], env=headless_env(), timeout=60)
        cuda = json.loads(p.stdout)["cuda"]
        if CUDA_PLUGIN not in self.files:
            self.assertFalse(cuda["built"])
            return
        plugin = os.path.realpath(self.path(CUDA_PLUGIN))
        if cuda["plugin"]:
            self.assertEqual(os.path.realpath(cuda["plugin"]), plugin)
        else:  # found but not loadable here: the reason names it
            self.assertIn("libfolio_cuda.so", cuda["reason"])

    def test_installed_demo_uses_installed_samples(self):
        p = run([self.path("usr/bin/folio"), "demo"], env=headless_env(), timeout=60)
        samples = self.path("usr/share/folio/samples")
        self.assertIn(samples, p.stdout,
                      "the installed folio did not take its samples from <exe>/../share/folio/samples "
                      "(app/resource_paths.cpp)")

    def test_installed_plan_on_a_fixture(self):
        folio = self.path("usr/bin/folio")
        commands = run([folio, "--help"], env=headless_env()).stdout
        if not re.search(r"^\s+plan\s", commands, re.MULTILINE):
            self.skipTest("this build of folio has no plan command")
        model = os.path.join(ARGS.source_dir, "tests", "fixtures", "models", "tiny-f32-h4-ls")
        p = run([folio, "plan", "--model", model, "--json"], env=headless_env(), timeout=60)
        plan = json.loads(p.stdout)
        self.assertIsInstance(plan, dict)
        self.assertIn("minimax_m1", p.stdout, "the plan does not show the fixture's model_type")


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--out-dir", required=True, help="where cpack writes the package")
    parser.add_argument("--cmake", required=True)
    parser.add_argument("--cpack", required=True)
    parser.add_argument("--version", required=True, help="the project version the package must carry")
    ARGS, run_tests = parse_and_run(parser, ("build_dir", "source_dir", "out_dir"))
    run_tests()


if __name__ == "__main__":
    main()
