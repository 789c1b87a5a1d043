#!/usr/bin/env bash
# Installs the Debian 12 packages Folio needs to build, test and run. Idempotent: only packages that
# are missing are installed, and `apt-get update` runs only when something is missing.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang
  # libraries
  qt6-base-dev qt6-base-dev-tools libgl-dev
  libpoppler-cpp-dev libpoppler-qt6-dev
  # PDF comments and form fields are read with poppler's core classes (ingest/pdf_markup_reader.cpp)
  libpoppler-private-dev
  # PDF signatures are checked with OpenSSL's CMS (ingest/pdf_markup_signature.cpp); openssl writes the
  # signed test PDFs (tools/pdf/make_signed_pdfs.py)
  libssl-dev openssl
  # certutil and pk12util: tools/pdf/sign_with_pdfsig.sh signs test PDFs with pdfsig's NSS signer
  libnss3-tools
  libzip-dev libarchive-dev libexpat1-dev zlib1g-dev libtesseract-dev tesseract-ocr-eng
  libsqlite3-dev sqlite3
  # German OCR data: the test of folio ingest --ocr-lang deu+eng (skipped without it)
  tesseract-ocr-deu
  libgtest-dev libgmock-dev
  nlohmann-json3-dev libcpp-httplib-dev libcli11-dev libpcre2-dev
  # running the GUI without a display, and the test tools
  xvfb xauth poppler-utils qpdf mupdf-tools python3 python3-numpy python3-regex python3-jinja2
  # readpst and pffexport: tools/pst/compare_pst.py checks the test PST writer and reader against them
  pst-utils pff-tools
  # packaging: the Debian package (cpack, dpkg-shlibdeps), icons rendered from SVG, validators
  dpkg-dev file gzip groff-base librsvg2-bin desktop-file-utils appstream
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
