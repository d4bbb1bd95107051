#!/usr/bin/env bash
# Makes a chassis CA and one certificate per card for mutual TLS (Chassis:TlsCertificatePath/TlsKeyPath/TlsCaPath).
#   deploy/certs/make-certs.sh [OUT_DIR] [NAME ...]
# OUT_DIR defaults to deploy/certs/out (what docker-compose.yml mounts at /certs); the names default to the
# compose file's cards and the dashboard. An existing CA in OUT_DIR is reused, so more cards can be added later.
# Keys are PEM (PKCS#8, P-256). Card keys are made readable by the containers' non-root user; the CA key is not
# (keep it off the cards: it signs new members). For production use your own PKI and secret store.
set -euo pipefail
out=${1:-"$(dirname "$0")/out"}
shift || true
names=("$@")
if [ ${#names[@]} -eq 0 ]; then names=(control card-1 card-2 card-3 spare-1 dashboard); fi
command -v openssl >/dev/null || { echo "openssl is required (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$out"

if [ ! -f "$out/ca.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
    -subj "/CN=Redundancy chassis CA" -keyout "$out/ca.key" -out "$out/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  chmod 600 "$out/ca.key"
fi

for name in "${names[@]}"; do
  ext=$(mktemp)
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:%s\n' "$name" > "$ext"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name" \
    -keyout "$out/$name.key" -out "$out/$name.csr" 2>/dev/null
  openssl x509 -req -in "$out/$name.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" -CAcreateserial \
    -days 825 -extfile "$ext" -out "$out/$name.pem" 2>/dev/null
  rm -f "$out/$name.csr" "$ext"
  chmod 644 "$out/$name.key"
  echo "$out/$name.pem  $out/$name.key"
done
echo "CA: $out/ca.pem"
