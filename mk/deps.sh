#!/bin/sh
# mk/deps.sh: find and install the Debian packages econsim needs.
#   sh mk/deps.sh check     exit 0 when everything is present, else list what is missing
#   sh mk/deps.sh install   install what is missing with apt-get (as root, or through sudo);
#                           otherwise print the exact command and fail
#   a second argument names a group of packages added to those of the build and tests:
#     fuzz      what `make fuzz` needs (clang with libFuzzer) and valgrind (`make valgrind`)
#     coverage  what `make coverage` needs: gcovr (gcov comes with gcc)
#     docs      what `make docs` needs to render and check the man pages (groff, man-db)
#   each group is checked and installed only by the targets that need it
set -u
# libxlsxwriter-dev writes workbook.xlsx; chromium prints report.pdf (--pdf, make run) and,
# with python3-openpyxl, poppler-utils and libreoffice-calc-nogui, tests the report and the
# workbook in make check (tests/report.sh); libopenmpi-dev and openmpi-bin build and run
# build/econsim-mpi (mpicc, mpirun: tests/mpi.sh)
# gettext compiles the translations (msgfmt) and checks them (tests/po.sh); locales lets
# `locale-gen` make zh_CN.UTF-8, so that LANG=zh_CN.UTF-8 works as on a planner's desktop
PACKAGES="libgsl-dev libcjson-dev libcriterion-dev gnuplot-nox fonts-noto-cjk pkg-config libxlsxwriter-dev chromium python3-openpyxl poppler-utils libreoffice-calc-nogui gettext locales libopenmpi-dev openmpi-bin"
case "${2:-}" in
    "") ;;
    fuzz) PACKAGES="$PACKAGES clang libclang-rt-14-dev valgrind" ;;
    coverage) PACKAGES="$PACKAGES gcovr" ;;
    docs) PACKAGES="$PACKAGES groff-base man-db" ;;
    *) echo "deps: unknown group '$2' (fuzz, coverage, docs)" >&2; exit 2 ;;
esac

missing=""
for p in $PACKAGES; do
    if command -v dpkg-query >/dev/null 2>&1; then
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
        case "$status" in *"install ok installed"*) continue ;; esac
        # another package may provide the same thing (gnuplot-qt instead of gnuplot-nox)
        [ "$p" = gnuplot-nox ] && command -v gnuplot >/dev/null 2>&1 && continue
        [ "$p" = chromium ] && { command -v chromium-browser || command -v google-chrome; } >/dev/null 2>&1 && continue
        [ "$p" = libreoffice-calc-nogui ] && command -v libreoffice >/dev/null 2>&1 && continue
        missing="$missing $p"
    fi
done
if ! command -v dpkg-query >/dev/null 2>&1; then
    pkg-config --exists gsl libcjson criterion xlsxwriter 2>/dev/null || missing="$missing (gsl libcjson criterion xlsxwriter: install them with your package manager)"
fi

# the Chinese locale, generated once by locale-gen (Debian ships only C and C.UTF-8)
has_zh_locale() { locale -a 2>/dev/null | grep -qix 'zh_CN.utf-\{0,1\}8'; }
need_locale=0
command -v dpkg-query >/dev/null 2>&1 && ! has_zh_locale && need_locale=1
make_zh_locale() {
    [ "$need_locale" = 1 ] || return 0
    [ -f /etc/locale.gen ] && grep -q '^# *zh_CN.UTF-8 UTF-8' /etc/locale.gen &&
        sed -i 's/^# *\(zh_CN.UTF-8 UTF-8\)/\1/' /etc/locale.gen
    grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null || echo 'zh_CN.UTF-8 UTF-8' >> /etc/locale.gen
    echo "deps: generating the zh_CN.UTF-8 locale"
    locale-gen >/dev/null
}

if [ "${1:-check}" = check ]; then
    [ "$need_locale" = 1 ] && missing="$missing (locale zh_CN.UTF-8)"
    [ -z "$missing" ] && exit 0
    echo "missing:$missing"
    exit 1
fi

if [ -z "$missing" ]; then
    [ "$(id -u)" = 0 ] && make_zh_locale
    [ "$need_locale" = 1 ] && [ "$(id -u)" != 0 ] && echo "deps: run as root to make the zh_CN.UTF-8 locale: locale-gen" >&2
    echo "deps: all packages present"
    exit 0
fi
command -v apt-get >/dev/null 2>&1 || { echo "deps: please install:$missing" >&2; exit 1; }
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing"
    sh -c "$cmd" && make_zh_locale
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "deps: installing$missing (sudo)"
    sudo sh -c "$cmd" && { [ "$need_locale" = 0 ] || sudo sh -c "sed -i 's/^# *\\(zh_CN.UTF-8 UTF-8\\)/\\1/' /etc/locale.gen; grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' >> /etc/locale.gen; locale-gen"; }
else
    echo "deps: these packages are missing:$missing" >&2
    echo "deps: run as root:  $cmd" >&2
    exit 1
fi
