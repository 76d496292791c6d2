#!/usr/bin/env bash
# tests/layers.sh: checks the layering of src/ (HACKING.md, "Layout").
#
#   base < lang < input < core < analysis < present < load < pipeline < mpi < main.c
#
# A file may include headers of its own layer and of the layers below it, never above: the
# numerics never learn of output, the loaders never learn of the analyses that use them.
# The JSON parser (cJSON.h) is included only by the loaders (input/ and load/, which read
# files) and by the one module of present/ that writes summary.json (present/summary*), and
# no other file gets it through a header either (checked with the compiler's -M). Prints
# every offending include as file:line and exits 1 if there is one.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/src" || exit 1
layers=(base lang input core analysis present load pipeline mpi)
declare -A rank
for i in "${!layers[@]}"; do
    for h in "${layers[$i]}"/*.h; do
        [ -e "$h" ] && rank[$(basename "$h")]=$i
    done
done
fail=0
checked=0
check_file() { # file own_rank own_layer
    local file=$1 own=$2 layer=$3 line n header
    n=0
    while IFS= read -r line; do
        n=$((n + 1))
        case $line in
        '#include "'*) ;;
        '#include <cjson/cJSON.h>'* | '#include <cJSON.h>'* | '#include "cJSON.h"'*)
            case $layer/$(basename "$file") in
            input/* | load/* | present/summary*) ;;
            *) echo "layers: src/$file:$n: cJSON.h outside the loaders and present/summary"; fail=1 ;;
            esac
            continue ;;
        *) continue ;;
        esac
        header=${line#'#include "'}
        header=${header%%'"'*}
        [ -n "${rank[$header]+x}" ] || continue
        if [ "${rank[$header]}" -gt "$own" ]; then
            echo "layers: src/$file:$n: $layer/ includes $header of ${layers[${rank[$header]}]}/, a higher layer"
            fail=1
        fi
    done < "$file"
    checked=$((checked + 1))
}
for i in "${!layers[@]}"; do
    for f in "${layers[$i]}"/*.[ch]; do
        [ -e "$f" ] && check_file "$f" "$i" "${layers[$i]}"
    done
done
[ -e main.c ] && check_file main.c ${#layers[@]} main
# headers that pass cJSON.h on to a file that must not see it
cc=${CC:-cc}
includes=$(for l in "${layers[@]}"; do printf -- '-I%s ' "$l"; done)
cjson_flags=$(pkg-config --cflags libcjson 2>/dev/null)
for f in */*.c main.c; do
    case $f in input/* | load/* | present/summary* | mpi/*) continue ;; esac
    # shellcheck disable=SC2086
    if "$cc" -M $includes $cjson_flags -D_POSIX_C_SOURCE=200809L "$f" 2>/dev/null | grep -q 'cJSON\.h'; then
        echo "layers: src/$f: gets cJSON.h through a header"
        fail=1
    fi
done
echo "layers: $checked files checked, $([ $fail = 0 ] && echo 'no back edges' || echo 'back edges found')"
exit $fail
