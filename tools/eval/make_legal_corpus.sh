#!/bin/sh
# Builds the corpus of tools/eval/legal_questions.tsv: twelve of Common Paper's standard agreements
# (CC BY 4.0) typeset as a lawyer receives them, six as PDFs and six as Word files.
#   SRC: a folder holding the agreements' markdown files from github.com/CommonPaper (CSA.md, DPA.md,
#        psa.md, Partnership-Agreement.md, BAA.md, sla.md, AI-Addendum.md, Mutual-NDA.md,
#        Mutual-NDA-coverpage.md, Pilot-Agreement.md, Software-License-Agreement.md,
#        design-partner-agreement.md)
#   OUT: the folder to write the corpus to (then `folio ingest --library L OUT` and
#        `tools/eval/ask_eval.py FOLIO L tools/eval/legal_questions.tsv`)
# Needs pandoc and LibreOffice (soffice).
set -eu
[ $# -eq 2 ] || { echo "usage: $0 SRC OUT" >&2; exit 2; }
src=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
for md in "$src"/*.md; do
  b=$(basename "$md" .md)
  "$here/number_clauses.py" "$md" > "$work/$b.md"
  pandoc -f markdown -t docx -o "$work/$b.docx" "$work/$b.md"
done
for b in CSA DPA psa Partnership-Agreement BAA sla; do
  soffice -env:UserInstallation="file://$work/lo" --headless --convert-to pdf --outdir "$out" "$work/$b.docx" >/dev/null
done
for b in AI-Addendum Mutual-NDA-coverpage Mutual-NDA Pilot-Agreement Software-License-Agreement design-partner-agreement; do
  cp "$work/$b.docx" "$out/"
done
