#!/usr/bin/env bash
# Signs copies of the signed-PDF fixtures with pdfsig (poppler's NSS signer, not Folio's generator), for
# tools/pdf/compare_signatures.py to check Folio against signatures another implementation wrote:
#
#   tools/pdf/sign_with_pdfsig.sh OUT_DIR && python3 tools/pdf/compare_signatures.py FOLIO OUT_DIR/*.pdf
#
# Needs pdfsig (poppler-utils), openssl, and certutil and pk12util (libnss3-tools). The signing time is
# the time of the run. Writes OUT_DIR/nss_seller.pdf (the Seller field of signed.pdf signed by John Smith),
# nss_etsi.pdf (signed_unsigned.pdf's Buyer field as ETSI.CAdES.detached), nss_added.pdf (a new signature
# field added to two_pages.pdf) and nss_changed.pdf (nss_seller.pdf with its last byte range shortened by
# an appended incremental update: a copy of its trailer).
set -euo pipefail
out=${1:?usage: sign_with_pdfsig.sh OUT_DIR}
here=$(cd "$(dirname "$0")/../.." && pwd)
fixtures=$here/tests/fixtures/pdf
mkdir -p "$out"
db=$(mktemp -d)
trap 'rm -rf "$db"' EXIT
openssl x509 -inform DER -in "$fixtures/signing_keys/john_smith.crt" -out "$db/john.pem"
openssl pkcs12 -export -inkey "$fixtures/signing_keys/john_smith.key" -in "$db/john.pem" -name john -passout pass: \
  -out "$db/john.p12"
certutil -N -d "sql:$db" --empty-password
pk12util -i "$db/john.p12" -d "sql:$db" -W "" >/dev/null
sign() { pdfsig -nssdir "sql:$db" -nick john "$@" 2>/dev/null; }
sign -sign SellerSig -reason "Agreed" "$fixtures/signed.pdf" "$out/nss_seller.pdf"
sign -sign BuyerSig -etsi -reason "Approved" "$fixtures/signed_unsigned.pdf" "$out/nss_etsi.pdf"
sign -add-signature -new-signature-field-name Approval -reason "Seen" "$fixtures/two_pages.pdf" "$out/nss_added.pdf"
# An incremental update after signing: the last trailer again (a no-op update, as some editors save).
{ cat "$out/nss_seller.pdf"; printf '\n'; tail -c 200 "$out/nss_seller.pdf" | sed -n '/^trailer/,$p'; } > "$out/nss_changed.pdf"
