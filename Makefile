# econsim: build, test and install.
#
#   make            build build/econsim (and build/econsim-mpi when mpicc is found)
#   make run        install missing packages, build, run the shipped Linzhou scenario
#   make check      unit tests (Criterion) and end-to-end CLI cases (and tests/mpi.sh when
#                   build/econsim-mpi is built: mpicc found, or MPI=1)
#   make asan       the binary and tests with AddressSanitizer + UBSan, in build-asan/
#   make coverage   the unit tests and CLI cases with gcov, in build-coverage/; prints the line
#                   coverage of each source file (gcovr, installed then if missing)
#   make bench      benchmarks (never part of check)
#   make install    PREFIX=/usr/local DESTDIR= (the program, the shipped data, man pages, completion)
#   make uninstall  removes exactly what install put there (same PREFIX and DESTDIR)
#   make docs       check the man pages and the completion (installs groff and man-db if missing)
#   make deps       install the Debian packages econsim needs (apt-get)
#   make clean      remove $(BUILD) and the asan, bench, fuzz and coverage trees
#
# Everything is built out of tree in $(BUILD); several trees can coexist (BUILD=build-x).
# A change of compiler, flags or libraries rebuilds what they touch ($(BUILD)/flags.stamp).

SHELL    := /bin/bash
BUILD    ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR   := $(PREFIX)/bin
SHAREDIR := $(PREFIX)/share/econsim
MANDIR   := $(PREFIX)/share/man
COMPLETIONDIR := $(PREFIX)/share/bash-completion/completions
VERSION  := 0.1.0
SCENARIO ?= scenarios/linzhou-2023-target.json

CC       ?= cc
PKGS     := gsl libcjson xlsxwriter
OPT      ?= -O2 -g
WARNINGS := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
            -Wwrite-strings -Wformat=2 -Wundef -Wcast-align -Wnull-dereference
CFLAGS   ?=
SHAREDIR_DEFINE := -DECONSIM_SHAREDIR='"$(SHAREDIR)"' -DECONSIM_LOCALEDIR='"$(PREFIX)/share/locale"'
CPPFLAGS += -DECONSIM_VERSION='"$(VERSION)"' $(SHAREDIR_DEFINE) -D_POSIX_C_SOURCE=200809L

ifdef SANITIZE
SANITIZE_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
ifdef COVERAGE
COVERAGE_FLAGS := --coverage
endif

# pkg-config runs once per make, here (:=), not once per compiler call. Where a library is
# missing the flags are empty; `make check` installs it first (deps-if-missing) and builds in
# a make of its own, which asks again.
PKG_CFLAGS  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell pkg-config --cflags criterion 2>/dev/null)
TEST_LIBS   := $(shell pkg-config --libs criterion 2>/dev/null)
ALL_CFLAGS  := -std=c11 $(OPT) $(WARNINGS) -fopenmp $(SANITIZE_FLAGS) $(COVERAGE_FLAGS) $(PKG_CFLAGS) $(CFLAGS)
LDLIBS_ALL  := $(PKG_LIBS) -fopenmp -lm

# The sources live in one folder per layer, in the order data flows through them:
# base (diagnostics, memory, text) -> lang (equations, models) -> load (files into typed,
# validated structs) -> core (simulation) -> analysis -> present (tables, files, charts) ->
# pipeline (one command from files to results); main.c only dispatches. Every layer's folder
# is on the include path, so a header is included by its name alone.
LAYERS    := base lang input core analysis present load pipeline
SRCS      := src/main.c $(foreach layer,$(LAYERS),$(wildcard src/$(layer)/*.c))
LIB_SRCS  := $(filter-out src/main.c,$(SRCS))
INCLUDES  := $(LAYERS:%=-Isrc/%)
LIB_OBJS  := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
TEST_SRCS := $(wildcard tests/test_*.c) tests/testutil.c
TEST_OBJS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%.o)
BENCH_SRCS := $(wildcard bench/*.c)
# the translation catalogues and their compiled forms (see 'translations' below)
PO_FILES := $(wildcard po/*.po)
MO_FILES := $(PO_FILES:po/%.po=$(BUILD)/locale/%/LC_MESSAGES/econsim.mo)

# build/econsim-mpi: the same program with an MPI driver (src/mpi/, the only files that see
# mpi.h), built when mpicc is found (MPI=1 asks for it, MPI=0 turns it off). Open MPI is
# libopenmpi-dev and openmpi-bin (mk/deps.sh).
MPICC    ?= mpicc
MPI      ?= $(if $(shell command -v $(MPICC) 2>/dev/null),1,0)
MPI_ON   := $(filter 1,$(MPI))
MPI_CFLAGS := $(if $(MPI_ON),$(shell $(MPICC) --showme:compile 2>/dev/null))
MPI_LIBS   := $(if $(MPI_ON),$(shell $(MPICC) --showme:link 2>/dev/null))
MPI_SRCS   := $(wildcard src/mpi/*.c)
MPI_OBJS   := $(MPI_SRCS:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/main_entry.o

.PHONY: FORCE all run check unit cases asan coverage coverage-deps coverage-run bench install uninstall clean deps \
        deps-if-missing fuzz fuzz-deps fuzz-run replay valgrind signals injection checkpoint mpi report chart-layout first-hour gallery
.PHONY: docs docs-deps docs-check layers

all: $(BUILD)/econsim $(MO_FILES) $(if $(MPI_ON),$(BUILD)/econsim-mpi)

$(BUILD)/econsim: $(BUILD)/obj/main.o $(BUILD)/libeconsim.a $(BUILD)/flags.stamp
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.o %.a,$^) $(LDLIBS_ALL)


$(BUILD)/econsim-mpi: $(MPI_OBJS) $(BUILD)/libeconsim.a $(BUILD)/flags.stamp
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.o %.a,$^) $(MPI_LIBS) $(LDLIBS_ALL)

$(BUILD)/obj/mpi/%.o: src/mpi/%.c $(BUILD)/flags.stamp | $(BUILD)/obj
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(INCLUDES) -Isrc/mpi $(MPI_CFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# main.c once more, its main() renamed for main_mpi.c to call
$(BUILD)/obj/main_entry.o: src/main.c $(BUILD)/flags.stamp | $(BUILD)/obj
	$(CC) $(CPPFLAGS) -DECONSIM_MAIN_NAME=econsim_main $(INCLUDES) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libeconsim.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

# A stamp holds the text of a setting; it is rewritten only when the setting changes, so what
# depends on it is rebuilt exactly then. $(call stamp,TEXT) is the recipe.
quote = '$(subst ','\'',$(1))'
stamp = @printf '%s\n' $(call quote,$(1)) | cmp -s - $@ || printf '%s\n' $(call quote,$(1)) > $@

# The compiler, flags and libraries: a change rebuilds every object and relinks (OPT=-O0,
# SANITIZE=..., CC=clang, a new version). $(SHAREDIR) has a stamp of its own, below.
FLAGS_TEXT := $(CC) $(filter-out $(SHAREDIR_DEFINE),$(CPPFLAGS)) $(INCLUDES) $(ALL_CFLAGS) $(TEST_CFLAGS) \
              | $(LDLIBS_ALL) $(TEST_LIBS)
$(BUILD)/flags.stamp: FORCE | $(BUILD)/obj
	$(call stamp,$(FLAGS_TEXT))

# The objects that bake in $(SHAREDIR) are rebuilt when PREFIX changes, so `make install
# PREFIX=/usr` after a plain `make` installs a binary that looks in /usr/share/econsim.
$(BUILD)/sharedir.stamp: FORCE | $(BUILD)/obj
	$(call stamp,$(SHAREDIR))

$(BUILD)/obj/present/plot.o $(BUILD)/obj/input/search_path.o $(BUILD)/obj/base/i18n.o: $(BUILD)/sharedir.stamp

FORCE:

$(BUILD)/obj/%.o: src/%.c $(BUILD)/flags.stamp | $(BUILD)/obj
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(INCLUDES) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c $(BUILD)/flags.stamp | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(INCLUDES) $(ALL_CFLAGS) $(TEST_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/unit-tests: $(TEST_OBJS) $(BUILD)/libeconsim.a $(BUILD)/flags.stamp
	$(CC) $(ALL_CFLAGS) -o $@ $(filter %.o %.a,$^) $(TEST_LIBS) $(LDLIBS_ALL)

$(BUILD)/obj $(BUILD)/tests $(BUILD)/bench:
	mkdir -p $@

# --- translations (GNU gettext) --------------------------------------------------------
# The source is English; po/LANG.po translates every _() and N_() text of src/. `make pot`
# regenerates the template po/econsim.pot from the sources and merges it into each catalogue
# (new texts arrive untranslated, to be filled in); the catalogues compile to
# $(BUILD)/locale/LANG/LC_MESSAGES/econsim.mo, which the built binary finds beside itself.
XGETTEXT_FLAGS := --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --add-comments=TRANSLATORS: \
                  --package-name=econsim --package-version=$(VERSION) --msgid-bugs-address=econsim@localhost --no-wrap --sort-by-file

$(BUILD)/locale/%/LC_MESSAGES/econsim.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

.PHONY: pot po-check
pot:
	xgettext $(XGETTEXT_FLAGS) -o po/econsim.pot $(sort $(SRCS) $(MPI_SRCS) $(wildcard src/*/*.h))
	@for po in $(PO_FILES); do msgmerge --quiet --update --backup=none --no-wrap $$po po/econsim.pot; done

# Every text of the sources has a translation, none fuzzy, and the catalogue compiles cleanly.
po-check:
	@bash tests/po.sh

# --- set-up -----------------------------------------------------------------------------

deps:
	@sh mk/deps.sh install

deps-if-missing:
	@sh mk/deps.sh check >/dev/null 2>&1 || sh mk/deps.sh install

# --- running and testing ----------------------------------------------------------------

run: deps-if-missing
	@$(MAKE) --no-print-directory all
	$(BUILD)/econsim run $(SCENARIO) --pdf --lang zh

# The tests run in English whatever the caller's locale; a test of the Chinese asks for it
# (--lang zh or LANG=zh_CN.UTF-8).
TEST_TARGETS := check unit cases replay signals injection checkpoint mpi report chart-layout docs-check first-hour po-check asan valgrind coverage-run
$(TEST_TARGETS): export LANG := C.UTF-8
$(TEST_TARGETS): export LANGUAGE :=
$(TEST_TARGETS): export LC_ALL :=
$(TEST_TARGETS): export LC_MESSAGES :=

check: deps-if-missing
	@$(MAKE) --no-print-directory all $(BUILD)/unit-tests $(BUILD)/econsim-bench
	@$(MAKE) --no-print-directory unit cases replay signals injection checkpoint $(if $(MPI_ON),mpi) report chart-layout docs-check layers first-hour po-check

unit: $(BUILD)/unit-tests $(MO_FILES)
	$(BUILD)/unit-tests --jobs 2

cases: $(BUILD)/econsim $(MO_FILES)
	bash tests/run_cases.sh $(BUILD)/econsim tests/cases

signals: $(BUILD)/econsim
	bash tests/signals.sh $(BUILD)/econsim

injection: $(BUILD)/econsim
	bash tests/injection.sh $(BUILD)/econsim

# checkpoints and --resume: a sweep and an ensemble killed by the test hook, resumed to the
# bytes of an uninterrupted run; changed inputs refused
checkpoint: $(BUILD)/econsim
	bash tests/checkpoint.sh $(BUILD)/econsim

# build/econsim-mpi under mpirun: the same bytes for five mixes of ranks x threads, kill and
# --resume, a dead rank, scenarios spread over the ranks (tests/mpi.sh)
mpi: $(BUILD)/econsim-mpi $(BUILD)/econsim
	bash tests/mpi.sh $(BUILD)/econsim-mpi $(BUILD)/econsim

# report.html in headless Chromium, workbook.xlsx through openpyxl and LibreOffice, report.pdf
# through pdftoppm (tests/report.sh); screenshots in $(BUILD)/report-*.png
report: $(BUILD)/econsim
	bash tests/report.sh $(BUILD)/econsim

# Every chart kind at 640x400, 1000x600 and 2000x1200 through gnuplot's svg terminal: no text
# crosses the canvas edge or another text (tests/chart_layout.py documents the estimate); the
# charts at 1000x600 also as PNGs in $(BUILD)/chart-layout/ to look at.
chart-layout: $(BUILD)/econsim $(MO_FILES)
	bash tests/chart_layout.sh $(BUILD)/econsim

# The README's chart gallery: one chart of each kind from chart-layout's Chinese PNGs, copied
# into docs/gallery/ (commit them when a chart changes).
gallery: chart-layout
	bash mk/gallery.sh $(BUILD)/chart-layout docs

# A planner's first hour: `init` in a folder of its own, `make install` of the shipped files
# only and `make uninstall` of exactly those (staged with DESTDIR in a temporary folder), and
# every command of the tutorial (docs/tutorial.md, docs/tutorial.en.md) from that install.
first-hour: $(BUILD)/econsim
	bash tests/init.sh $(BUILD)/econsim
	MAKE='$(MAKE)' bash tests/install.sh $(BUILD)
	MAKE='$(MAKE)' bash tests/tutorial.sh $(BUILD)

# No file of src/ includes a header of a layer above its own, and only the loaders and
# present/summary* see cJSON.h (HACKING.md, "Layout").
layers:
	CC=$(CC) bash tests/layers.sh

# The man pages render without warnings (when man and groff are there: `make docs` installs
# them), econsim.1 names every command, option and variable, and the bash completion works.
docs-check: $(BUILD)/econsim
	bash tests/docs.sh $(BUILD)/econsim

docs: docs-deps
	@$(MAKE) --no-print-directory $(BUILD)/econsim
	DOCS_REQUIRE_MAN=1 bash tests/docs.sh $(BUILD)/econsim

docs-deps:
	@sh mk/deps.sh check docs >/dev/null 2>&1 || sh mk/deps.sh install docs

# Criterion runs each test in a child whose sanitizer report at exit does not fail the test,
# so the log is searched as well: any report fails the target.
asan:
	@mkdir -p build-asan; set -o pipefail; \
	$(MAKE) --no-print-directory BUILD=build-asan SANITIZE=address,undefined OPT="-O1 -g" check 2>&1 | tee build-asan/check.log; \
	if grep -q -E "ERROR: (Address|Leak)Sanitizer|runtime error:" build-asan/check.log; then \
	    echo "asan: sanitizer reports in build-asan/check.log"; exit 1; fi

# --- coverage ---------------------------------------------------------------------------
# make coverage   the library, the binary and the tests built with gcov (--coverage, -O0) in
#                 COVERAGE_BUILD; the unit tests and the CLI cases run; then gcovr prints the
#                 line coverage of each file under src/ (every line and the ones not run:
#                 gcovr --root . --filter src/ --object-directory build-coverage --txt, or
#                 --html-details for a page per file). gcovr is its own group in mk/deps.sh,
#                 installed only here.

COVERAGE_BUILD ?= build-coverage

coverage: coverage-deps
	@$(MAKE) --no-print-directory BUILD=$(COVERAGE_BUILD) COVERAGE=1 OPT="-O0 -g" coverage-run

coverage-deps:
	@sh mk/deps.sh check coverage >/dev/null 2>&1 || sh mk/deps.sh install coverage

# (in the coverage tree) counts from an earlier run are dropped, so the figures are this run's
coverage-run: $(BUILD)/econsim $(BUILD)/unit-tests $(MO_FILES)
	@find $(BUILD) -name '*.gcda' -delete
	$(BUILD)/unit-tests --jobs 2 >$(BUILD)/unit.log 2>&1 || { cat $(BUILD)/unit.log; exit 1; }
	bash tests/run_cases.sh $(BUILD)/econsim tests/cases
	gcovr --root . --filter 'src/' --object-directory $(BUILD) --sort-percentage --txt

# Benchmarks: econsim and bench/bench.c at -O3 -march=native in their own tree (BENCH_BUILD),
# run from the source tree (they read bench/ and scenarios/): one table of econsim against the
# hand-fused reference ../shared/bench/fused2.c (FUSED2_SRC), built here when it is there and
# left out, with a message, when it is not. BENCH_REPEATS=N for another best-of count.
BENCH_BUILD ?= build-bench
FUSED2_SRC  ?= ../shared/bench/fused2.c

bench: deps-if-missing
	@$(MAKE) --no-print-directory OPT="-O3 -march=native -g" BUILD=$(BENCH_BUILD) $(BENCH_BUILD)/econsim $(BENCH_BUILD)/econsim-bench
	@if [ -f '$(FUSED2_SRC)' ]; then \
	    $(CC) -O2 -march=native -fopenmp '$(FUSED2_SRC)' -o $(BENCH_BUILD)/fused2 -lm; \
	else \
	    echo "bench: $(FUSED2_SRC) is absent: the fused2 reference column is skipped"; rm -f $(BENCH_BUILD)/fused2; \
	fi
	$(BENCH_BUILD)/econsim-bench $(BENCH_BUILD)/econsim $(BENCH_BUILD)/fused2
	@if [ -n '$(MPI_ON)' ]; then \
	    $(MAKE) --no-print-directory OPT="-O3 -march=native -g" BUILD=$(BENCH_BUILD) $(BENCH_BUILD)/econsim-mpi && \
	    bash bench/mpi.sh $(BENCH_BUILD)/econsim-mpi; \
	else echo "bench: no mpicc: the MPI scaling table is skipped"; fi

$(BUILD)/econsim-bench: $(BENCH_SRCS) $(wildcard bench/*.h) $(BUILD)/flags.stamp
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $(BENCH_SRCS) -lm

# --- fuzzing ----------------------------------------------------------------------------
# make fuzz             each harness under libFuzzer (clang) for FUZZ_SECONDS, seeded from the
#                       shipped files and the test inputs; a crash stops with the input saved
# make replay           every saved regression input and seed through each harness, built with
#                       the normal compiler (part of make check); the loader's harness (load)
#                       also takes every scenario of the CLI cases and the shipped ones

FUZZERS      := expr model scenario history load
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build-fuzz
FUZZ_CFLAGS  := -std=c11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
                -Wno-unknown-pragmas -DFUZZ_SOURCE_ROOT='"$(CURDIR)"' -DECONSIM_VERSION='"fuzz"' \
                -DECONSIM_SHAREDIR='"$(SHAREDIR)"' -D_POSIX_C_SOURCE=200809L $(PKG_CFLAGS)
FUZZ_SEEDS_expr     := fuzz/seeds/expr
FUZZ_SEEDS_model    := models $(wildcard tests/cases/*/m.json)
FUZZ_SEEDS_scenario := scenarios $(wildcard tests/cases/*/s.json) $(wildcard tests/data/scenario/*/*.json)
FUZZ_SEEDS_history  := data $(wildcard tests/data/history/*.csv)
FUZZ_SEEDS_load     := $(FUZZ_SEEDS_scenario) fuzz/seeds/load

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory fuzz-run

fuzz-deps:
	@sh mk/deps.sh check fuzz >/dev/null 2>&1 || sh mk/deps.sh install fuzz

fuzz-run: $(FUZZERS:%=$(FUZZ_BUILD)/fuzz-%)
	@for h in $(FUZZERS); do \
	    corpus=$(FUZZ_BUILD)/corpus-$$h; mkdir -p $$corpus fuzz/regressions/$$h; \
	    case $$h in \
	        expr) seeds="$(FUZZ_SEEDS_expr)";; model) seeds="$(FUZZ_SEEDS_model)";; \
	        scenario) seeds="$(FUZZ_SEEDS_scenario)";; history) seeds="$(FUZZ_SEEDS_history)";; \
        load) seeds="$(FUZZ_SEEDS_load)";; esac; \
	    for s in $$seeds; do if [ -d $$s ]; then cp $$s/* $$corpus/ 2>/dev/null; else cp $$s $$corpus/ 2>/dev/null; fi; done; \
	    echo "== fuzz $$h for $(FUZZ_SECONDS) s"; \
	    ./$(FUZZ_BUILD)/fuzz-$$h -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
	        -artifact_prefix=fuzz/regressions/$$h/ -print_final_stats=1 $$corpus fuzz/regressions/$$h 2>&1 \
	        | grep -E '^(stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY|Done|INFO: Running with)' ; \
	    status=$${PIPESTATUS[0]}; [ "$$status" = 0 ] || exit $$status; \
	done

# clang here has no OpenMP runtime of its own: the pragmas are ignored (one thread) and
# libgomp provides the omp_* calls.
$(FUZZ_BUILD)/fuzz-%: fuzz/fuzz_%.c fuzz/fuzz_common.c $(LIB_SRCS) | $(FUZZ_BUILD)
	clang $(FUZZ_CFLAGS) $(INCLUDES) -Ifuzz -fsanitize=fuzzer -o $@ $< fuzz/fuzz_common.c $(LIB_SRCS) \
	    $(PKG_LIBS) -lgomp -lm

$(FUZZ_BUILD):
	mkdir -p $@

# The loader's harness also replays every scenario of the CLI cases and the shipped ones: each
# must load or be refused with a located diagnostic.
REPLAY_EXTRA_load := $(wildcard scenarios/*.json tests/cases/*/s.json)

replay: $(FUZZERS:%=$(BUILD)/replay-%)
	@for h in $(FUZZERS); do \
	    files=$$(find fuzz/regressions/$$h fuzz/seeds/$$h -type f 2>/dev/null); \
	    [ $$h = load ] && files="$$files $(REPLAY_EXTRA_load)"; \
	    [ -z "$$files" ] || ./$(BUILD)/replay-$$h $$files >/dev/null || { echo "replay $$h: FAILED"; exit 1; }; \
	done; echo "replay: every saved fuzz input ran clean"

$(BUILD)/replay-%: fuzz/fuzz_%.c fuzz/fuzz_common.c fuzz/replay.c $(BUILD)/libeconsim.a $(BUILD)/flags.stamp
	$(CC) $(CPPFLAGS) $(INCLUDES) $(ALL_CFLAGS) -DFUZZ_SOURCE_ROOT='"$(CURDIR)"' -Ifuzz -o $@ $< fuzz/fuzz_common.c fuzz/replay.c \
	    $(BUILD)/libeconsim.a $(LDLIBS_ALL)

# --- valgrind ---------------------------------------------------------------------------
# A run, a goal seek, a comparison, an ensemble (in memory and in two streaming passes), sweeps
# (one writing samples.csv in parallel chunks), list and explain, init, a scenario
# found on the search path and an ambiguous one, two scenarios run
# together (with their comparison charts) and compared into folders, the charts of the
# hostile inputs of tests/injection.sh, and error paths (every mistake of a file collected at
# once included) under memcheck: no leak, no invalid access.

VALGRIND := valgrind --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
            --error-exitcode=99 -q

valgrind: fuzz-deps $(BUILD)/econsim
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; set -e; \
	run() { expected=$$1; shift; set +e; $(VALGRIND) "$$@" >/dev/null 2>"$$tmp/err"; status=$$?; set -e; \
	    if [ $$status != $$expected ]; then echo "valgrind: exit $$status (expected $$expected): $$*"; cat "$$tmp/err"; exit 1; fi; \
	    echo "valgrind clean: $$*"; }; \
	run 0 $(BUILD)/econsim run $(SCENARIO) -o $$tmp/run; \
	run 0 $(BUILD)/econsim run tests/data/injection/scenario.json -o $$tmp/injection --paths 50; \
	run 0 $(BUILD)/econsim solve $(SCENARIO) -o $$tmp/solve --goal 166-gdp-2025 --goal 166-revenue-2025; \
	run 0 $(BUILD)/econsim compare $(SCENARIO); \
	run 0 $(BUILD)/econsim compare scenarios/linzhou-baseline.json $(SCENARIO) -o $$tmp/compare; \
	run 0 $(BUILD)/econsim run scenarios/linzhou-baseline.json $(SCENARIO) -o $$tmp/two; \
	run 0 $(BUILD)/econsim run $(SCENARIO) -o $$tmp/pdf --no-charts --pdf; \
	run 0 $(BUILD)/econsim run scenarios/linzhou-2023-risk.json --paths 2000 -o $$tmp/risk --no-charts; \
	run 0 $(BUILD)/econsim backtest scenarios/linzhou-baseline.json -o $$tmp/backtest; \
	run 0 $(BUILD)/econsim run tests/cases/calibrate-history-too-few/s.json --as-of 2024 --paths 200 -o $$tmp/calibrated --no-charts; \
	run 0 $(BUILD)/econsim solve $(SCENARIO) -o $$tmp/solve-from --goal 166-gdp-2025 --from 2025; \
	run 0 $(BUILD)/econsim sweep scenarios/linzhou-oat.json -o $$tmp/oat --no-charts; \
	run 0 $(BUILD)/econsim sweep scenarios/linzhou-sensitivity.json --samples 256 -o $$tmp/sobol --no-charts; \
	ECONSIM_MEMORY_MB=20 run 0 $(BUILD)/econsim run scenarios/linzhou-2023-risk.json --paths 50000 -o $$tmp/stream --no-charts; \
	run 0 $(BUILD)/econsim sweep scenarios/linzhou-morris.json -o $$tmp/morris --no-charts --samples-csv; \
	run 65 $(BUILD)/econsim sweep tests/cases/sweep-bad-unknown-parameter/s.json -o $$tmp/bad; \
	for c in bad-json bad-unknown-key bad-equation-name bad-extends-loop bad-lag-no-data bad-not-utf8 bad-history-csv; do \
	    f=tests/cases/$$c/s.json; [ -f $$f ] || f=tests/cases/$$c/a.json; \
	    run 65 $(BUILD)/econsim run $$f -o $$tmp/bad; done; \
	run 65 $(BUILD)/econsim check tests/cases/bad-cycle/m.json; \
	run 65 $(BUILD)/econsim check tests/cases/bad-three-mistakes/s.json tests/cases/bad-goal-target-slip/s.json \
	    tests/cases/bad-name-guesses/s.json tests/cases/ensemble-bad-dist-nonfinite/s.json tests/cases/bad-unit-slip-observation/s.json; \
	run 0 $(BUILD)/econsim list $(SCENARIO); \
	run 0 $(BUILD)/econsim explain tests/cases/explain-inherited/pessimistic.json; \
	run 0 $(BUILD)/econsim init $$tmp/mine; \
	run 73 $(BUILD)/econsim init $$tmp/mine; \
	mkdir -p $$tmp/copy && cp scenarios/linzhou-2023-target.json $$tmp/copy/target.json; \
	ECONSIM_PATH=$$tmp/none:scenarios run 0 $(BUILD)/econsim run $$tmp/copy/target.json -o $$tmp/copied --no-charts; \
	ECONSIM_PATH=tests/cases/search-path-ambiguous/before/lib run 65 $(BUILD)/econsim run \
	    tests/cases/search-path-ambiguous/before/work/s.json -o $$tmp/bad; \
	run 70 $(BUILD)/econsim run tests/cases/goals-seek-nan/s.json -o $$tmp/nan --no-charts; \
	run 66 $(BUILD)/econsim run tests/cases/bad-missing-model/s.json -o $$tmp/bad

# --- installing -------------------------------------------------------------------------

# What `make install` ships, file by file: the tracked models, scenarios, data and chart
# templates. A list, never a glob over the working tree, so scratch files lying in scenarios/
# are never installed, and a release tarball (no git) installs the same files.
# tests/install.sh checks the list against `git ls-files` in a checkout.
SHIPPED_MODELS    := models/county.json
SHIPPED_SCENARIOS := scenarios/goals-166.json scenarios/goals-2023.json scenarios/linzhou-2023-risk.json \
                     scenarios/linzhou-2023-target.json scenarios/linzhou-baseline.json scenarios/linzhou-discover.json \
                     scenarios/linzhou-grid.json scenarios/linzhou-morris.json scenarios/linzhou-oat.json scenarios/linzhou-sensitivity.json
# the province example (one scenario per county, its generator and its two CSV files)
SHIPPED_PROVINCE  := $(addprefix scenarios/province/,changyuan.json counties.csv gongyi.json huixian.json linzhou.json \
                     make-scenarios.py placeholders.csv ruzhou.json xinzheng.json yongcheng.json yuzhou.json)
SHIPPED_DATA      := data/observations.csv data/places.json
SHIPPED_PLOTS     := plots/compare.gp plots/convergence.gp plots/fan.gp plots/goals.gp plots/hedgehog.gp \
                     plots/heatmap.gp plots/indices-years.gp plots/morris.gp plots/peers.gp plots/pit.gp \
                     plots/prim-peeling.gp plots/prim-scatter.gp plots/sobol.gp plots/style.gp \
                     plots/tornado.gp plots/trajectory.gp
SHIPPED_FILES     := $(SHIPPED_MODELS) $(SHIPPED_SCENARIOS) $(SHIPPED_PROVINCE) $(SHIPPED_DATA) $(SHIPPED_PLOTS)
MAN1_PAGES        := docs/econsim.1
MAN5_PAGES        := docs/econsim-model.5 docs/econsim-observations.5 docs/econsim-scenario.5
# Programs and message catalogues installed when they were built (econsim-mpi, gettext
# catalogues $(BUILD)/locale/LANG/LC_MESSAGES/econsim.mo) and always removed by uninstall.
OPTIONAL_PROGRAMS := econsim-mpi
LOCALES           ?= $(patsubst po/%.po,%,$(wildcard po/*.po))
LOCALEDIR         := $(PREFIX)/share/locale
# The folders install may create, deepest first: uninstall removes those left empty.
INSTALL_DIRS      := $(SHAREDIR)/models $(SHAREDIR)/scenarios/province $(SHAREDIR)/scenarios $(SHAREDIR)/data $(SHAREDIR)/plots $(SHAREDIR) \
                     $(foreach l,$(LOCALES),$(LOCALEDIR)/$(l)/LC_MESSAGES $(LOCALEDIR)/$(l)) $(LOCALEDIR) \
                     $(MANDIR)/man1 $(MANDIR)/man5 $(MANDIR) $(COMPLETIONDIR) $(PREFIX)/share/bash-completion \
                     $(PREFIX)/share $(BINDIR)

install: $(BUILD)/econsim
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/models $(DESTDIR)$(SHAREDIR)/plots \
	    $(DESTDIR)$(SHAREDIR)/scenarios $(DESTDIR)$(SHAREDIR)/scenarios/province $(DESTDIR)$(SHAREDIR)/data
	install -m 755 $(BUILD)/econsim $(DESTDIR)$(BINDIR)/econsim
	@for p in $(OPTIONAL_PROGRAMS); do if [ -f $(BUILD)/$$p ]; then \
	    echo "install -m 755 $(BUILD)/$$p $(DESTDIR)$(BINDIR)/$$p"; install -m 755 $(BUILD)/$$p $(DESTDIR)$(BINDIR)/$$p; fi; done
	install -m 644 $(SHIPPED_MODELS) $(DESTDIR)$(SHAREDIR)/models/
	install -m 644 $(SHIPPED_SCENARIOS) $(DESTDIR)$(SHAREDIR)/scenarios/
	install -m 644 $(SHIPPED_PROVINCE) $(DESTDIR)$(SHAREDIR)/scenarios/province/
	install -m 644 $(SHIPPED_DATA) $(DESTDIR)$(SHAREDIR)/data/
	install -m 644 $(SHIPPED_PLOTS) $(DESTDIR)$(SHAREDIR)/plots/
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(COMPLETIONDIR)
	install -m 644 $(MAN1_PAGES) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(MAN5_PAGES) $(DESTDIR)$(MANDIR)/man5/
	install -m 644 completions/econsim $(DESTDIR)$(COMPLETIONDIR)/econsim
	@for l in $(LOCALES); do mo=$(BUILD)/locale/$$l/LC_MESSAGES/econsim.mo; if [ -f $$mo ]; then \
	    echo "install -m 644 $$mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/"; \
	    install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && install -m 644 $$mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/; fi; done

# Removes exactly what install put there (from the same lists), then the folders it made
# that are left empty; never a folder that holds anything else.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/econsim $(addprefix $(DESTDIR)$(BINDIR)/,$(OPTIONAL_PROGRAMS))
	rm -f $(addprefix $(DESTDIR)$(SHAREDIR)/,$(SHIPPED_FILES))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1_PAGES))) \
	    $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5_PAGES)))
	rm -f $(DESTDIR)$(COMPLETIONDIR)/econsim
	rm -f $(foreach l,$(LOCALES),$(DESTDIR)$(LOCALEDIR)/$(l)/LC_MESSAGES/econsim.mo)
	@for d in $(INSTALL_DIRS); do [ ! -d "$(DESTDIR)$$d" ] || rmdir --ignore-fail-on-non-empty "$(DESTDIR)$$d"; done

# $(BUILD) (whatever it is set to) and the trees of asan, bench, fuzz and coverage.
clean:
	@case '$(BUILD)' in ''|.|./|/|..|../) echo "clean: BUILD='$(BUILD)' is not a build tree"; exit 1;; esac
	rm -rf '$(BUILD)' build-asan '$(BENCH_BUILD)' '$(FUZZ_BUILD)' '$(COVERAGE_BUILD)'

-include $(LIB_OBJS:.o=.d) $(BUILD)/obj/main.d $(TEST_OBJS:.o=.d) $(MPI_OBJS:.o=.d)
