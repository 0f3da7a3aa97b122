#!/usr/bin/env bash
# `make run`: until `smdr serve` exists, parse a generated stream and print a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/smdr
"$bin" generate --lines 100000 --seed 1 | "$bin" parse --format summary -
