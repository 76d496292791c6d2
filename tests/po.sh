#!/bin/bash
# tests/po.sh: every user-facing text of the sources is translated in each po/LANG.po.
# Extracts the texts of src/ afresh (xgettext, as `make pot` does), merges them into a copy of
# each catalogue and fails on any text that is untranslated, fuzzy or obsolete-but-used, and
# on a catalogue that msgfmt --check refuses (a format directive that differs from the
# English, a header that is missing). Prints msgfmt's statistics.
set -u
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --no-wrap --package-name=econsim \
    -o "$tmp/econsim.pot" $(ls src/*.c src/*/*.c src/*/*.h | sort) || { echo "po: xgettext failed"; exit 1; }
for po in po/*.po; do
    lang=$(basename "$po" .po)
    msgmerge --quiet --no-fuzzy-matching --no-wrap -o "$tmp/$lang.po" "$po" "$tmp/econsim.pot" || { fail=1; continue; }
    stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/$lang.po" 2>&1) || { echo "po: $po: msgfmt --check failed:"; echo "$stats"; fail=1; continue; }
    echo "po: $lang: $stats"
    case "$stats" in
        *untranslated*|*fuzzy*)
            echo "po: $po: texts of the sources without a translation (run 'make pot' and fill them in):"
            msgattrib --untranslated --no-obsolete --no-wrap "$tmp/$lang.po" | grep '^msgid ' | sed -n '2,40p'
            fail=1 ;;
    esac
done
[ -f po/econsim.pot ] || { echo "po: po/econsim.pot is missing (make pot)"; fail=1; }
exit $fail
