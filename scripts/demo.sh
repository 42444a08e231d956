#!/usr/bin/env bash
# README command (1): installs dependencies, builds, then runs a real graph on the embedded
# default (a local directory): init the film-club example under build/demo/, load its data,
# run a few queries and one mutation, optimize (compaction + index segments), a full-text
# ranking, and export.
set -euo pipefail
cd "$(dirname "$0")/.."
# OMNIGRAPH_BIN=<path> reuses an existing binary (skips setup and build).
if [[ -n "${OMNIGRAPH_BIN:-}" ]]; then
  bin="$OMNIGRAPH_BIN"
else
  scripts/setup-deps.sh
  scripts/build.sh release
  bin="$PWD/build/release/omnigraph"
fi
example=examples/film-club
graph=build/demo/film-club.omni

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

rm -rf "$graph"
mkdir -p build/demo
step "$bin" version
step "$bin" init --schema "$example/schema.pg" "$graph"
step "$bin" load --data "$example/data.jsonl" --mode overwrite "$graph"
step "$bin" snapshot "$graph"
step "$bin" query --store "$graph" --query "$example/queries.gq" watched_by --params '{"handle":"ada"}'
step "$bin" query --store "$graph" --query "$example/queries.gq" film_popularity
step "$bin" query --store "$graph" --query "$example/queries.gq" films_by --params '{"director":"agnes-varda"}'
step "$bin" query --store "$graph" --query "$example/queries.gq" friends_of_friends --params '{"handle":"ada"}'
step "$bin" query --store "$graph" --query "$example/queries.gq" long_films_since --params '{"year":2010}' --format kv
step "$bin" mutate --store "$graph" --query "$example/mutations.gq" log_watch --params '{"handle":"emil","film":"dune","rating":4}'
step "$bin" query --store "$graph" --query "$example/queries.gq" watched_by --params '{"handle":"emil"}' --json
step "$bin" optimize "$graph"
step "$bin" query --store "$graph" -e 'query q($q: String) { match { $f: Film } return { $f.title, bm25($f.title, $q) as score } order { bm25($f.title, $q) } limit 3 }' --params '{"q":"spirited places"}'
step "$bin" export --type Member "$graph"
echo
echo "The graph lives in $graph; try: $bin query --store $graph -e 'query q() { match { \$f: Film } return { \$f.title } }'"
