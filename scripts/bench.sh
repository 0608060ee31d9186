#!/usr/bin/env bash
# Whole-command benchmarks for BENCHMARKS.md (needs hyperfine; GNU time for memory: Debian
# packages hyperfine and time).
#   scripts/bench.sh [N_FILES]   (default 10000; BENCH_WORK=DIR keeps the trees in DIR)
# 1. `adsconf check -r` over a generated tree of N config files of every format, against
#    `cat` of the same files (the I/O floor).
# 2. one-file `adsconf check` against google-ads-python's own validation
#    (google.ads.googleads.config.load_from_yaml_file) on the same file.
# 3. peak memory of `check -r` at N/10 and N files (flat is the target).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"
cargo build --release --quiet
BIN="$PWD/target/release/adsconf"
WORK="${BENCH_WORK:-$(mktemp -d)}"
[ -n "${BENCH_WORK:-}" ] || trap 'rm -rf "$WORK"' EXIT
PY="${ADSCONF_PYTHON:-/opt/adsconf-venv/bin/python}"

# A model with every core key, rendered once per target, then copied with a varying id.
cat > "$WORK/model.toml" <<'TOML'
developer_token = "abcdefghijklmnopqrstuv"
client_id = "1234-abc.apps.googleusercontent.com"
client_secret = "GOCSPX-benchmark"
refresh_token = "1//0benchmark"
login_customer_id = "1234567890"
use_proto_plus = true
TOML
langs=(java dotnet dotnet-json csharp php python ruby perl curl env)
names=(ads.properties App.config appsettings.json GoogleAdsConfig.snippet.cs google_ads_php.ini google-ads.yaml google_ads_config.rb googleads.properties googleads.curl.sh googleads.env)
for i in "${!langs[@]}"; do
  "$BIN" generate "${langs[$i]}" --from "$WORK/model.toml" > "$WORK/${names[$i]}" 2>/dev/null
done
make_tree() { # dir count
  local dir=$1 count=$2 i=0
  while [ "$i" -lt "$count" ]; do
    local d="$dir/p$((i / 100))/app$i"
    mkdir -p "$d"
    local k=$((i % ${#names[@]}))
    sed "s/1234567890/$(printf '%010d' $((1000000000 + i)))/" "$WORK/${names[$k]}" > "$d/${names[$k]}"
    i=$((i + 1))
  done
}
make_tree "$WORK/tree" "$N"
make_tree "$WORK/tree-small" "$((N / 10))"
find "$WORK/tree" -type f > "$WORK/files.txt"
echo "tree: $(wc -l < "$WORK/files.txt") files, $(du -sh "$WORK/tree" | cut -f1)"

hyperfine --warmup 2 --runs 10 -N --export-markdown "$WORK/tree.md" \
  "xargs -a $WORK/files.txt cat" \
  "$BIN check -r $WORK/tree --format json --ignore file-permissions" \
  2>/dev/null | sed 's/^/  /' || true
# check exits 1 when it finds errors; hyperfine -i would hide a crash, so run once plainly:
"$BIN" check -r "$WORK/tree" --format json > "$WORK/out.json" || true
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('check -r summary:', d['summary'])" "$WORK/out.json"
cat "$WORK/tree.md"

cp "$WORK/google-ads.yaml" "$WORK/one.yaml"
if [ -x "$PY" ]; then
  hyperfine --warmup 3 --runs 30 -N -i --export-markdown "$WORK/one.md" \
    "$PY -c 'import google.ads.googleads.config as c; c.load_from_yaml_file(\"$WORK/one.yaml\")'" \
    "$BIN check $WORK/one.yaml" >/dev/null 2>&1 || true
  cat "$WORK/one.md"
fi

if command -v /usr/bin/time >/dev/null; then
  for t in tree-small tree; do
    /usr/bin/time -f "peak RSS check -r $t ($(find "$WORK/$t" -type f | wc -l) files): %M KiB" "$BIN" check -r "$WORK/$t" --format json > /dev/null 2> "$WORK/time.txt" || true
    tail -1 "$WORK/time.txt"
  done
  /usr/bin/time -f "peak RSS check one.yaml: %M KiB" "$BIN" check "$WORK/one.yaml" > /dev/null 2> "$WORK/time.txt" || true
  tail -1 "$WORK/time.txt"
  if [ -x "$PY" ]; then
    /usr/bin/time -f "peak RSS load_from_yaml_file one.yaml: %M KiB" "$PY" -c "import google.ads.googleads.config as c; c.load_from_yaml_file('$WORK/one.yaml')" 2> "$WORK/time.txt" || true
    tail -1 "$WORK/time.txt"
  fi
else
  echo "no /usr/bin/time (Debian package time): peak memory not measured"
fi
