# mmsim - discrete-event simulator of Linux mmap_sem contention.
#   make demo     install dependencies, build, run scenarios.json, draw the figures
#   make check    install dependencies, build, run every test (and again under ASan+UBSan)
#   make figures  run every seed scenario and draw its declared figures into figures/
#   make bench    the long seedbench run against the reference implementations
#   make calibrate measure this machine, run seed 000 on it, compare: docs/calibration.md
#   make identity the results of every scenario unchanged since BASE (default HEAD)
#   make install  mmsim, its man page and bash completion into DESTDIR/PREFIX (/usr/local)
#   make format   clang-format the C sources (make format-check: report, change nothing)
#   make readme   regenerate the README's reference tables from 'mmsim list --markdown'
# Comments sit on their own lines: in make, "X ?= v  # c" keeps the spaces in v.

O      ?= build
PROG   := mmsim
PKGS   := simgrid jansson gsl
# vite: tests/cli/trace.sh checks that ViTE renders a Paje timeline (headless, Qt offscreen);
# librsvg2-bin: rsvg-convert, the PNGs of those renderings (plots/trace-figures.sh)
DEBS   := libsimgrid-dev libjansson-dev libgsl-dev gnuplot-nox pkg-config parallel clang \
          clang-format groff-base fio vite librsvg2-bin
WARN   := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wwrite-strings -Wvla -Wformat=2 -Wundef
WERROR ?= 1
CFLAGS ?= -O2 -g
CPPFLAGS += -I. -D_POSIX_C_SOURCE=200809L
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 $(WARN) $(if $(filter 1,$(WERROR)),-Werror) $(CFLAGS) $(PKG_CFLAGS)
LDLIBS     = $(PKG_LIBS) -lm
# the builds of check, demo and figures use every core
NPROC   := $(shell nproc 2>/dev/null || echo 2)
SUBMAKE  = $(MAKE) -j$(NPROC)

# make check SANITIZE=address,undefined (done by 'make check' itself, in build-san/)
# assert() checks the models' invariants in the check build (SANITIZE) only: the
# default build runs the simulations (make bench), and the checks cost time there.
ifdef SANITIZE
O          := build-san
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS    += -fsanitize=$(SANITIZE)
else
CPPFLAGS   += -DNDEBUG
# link-time optimisation: the records and engine services inline into the models' hot paths
LTO        ?= -flto=auto
ALL_CFLAGS += $(LTO)
LDFLAGS    += $(LTO) $(CFLAGS)
endif

LIB_SRC  := $(filter-out sim/main.c,$(wildcard sim/*.c)) $(wildcard sim/metrics/*.c) $(wildcard models/*.c)
LIB_OBJ  := $(patsubst %.c,$(O)/%.o,$(LIB_SRC))
TESTS    := $(patsubst tests/unit/%.c,$(O)/tests/%,$(wildcard tests/unit/test_*.c))

.DELETE_ON_ERROR:
# the objects of the test binaries are kept: the next build does not redo them
.SECONDARY:
.PHONY: all bins deps check check-fast check-san check-clang demo figures bench validation identity clean help \
	install uninstall format format-check readme

all: $(PROG) $(O)/$(PROG).1 $(O)/$(PROG).bash

$(PROG): $(O)/$(PROG)
	cp $< $@

# The man page and the bash completion, generated from the command table (sim/cli.h).
$(O)/$(PROG).1: $(O)/$(PROG)
	$< help --man > $@.tmp && mv $@.tmp $@

$(O)/$(PROG).bash: $(O)/$(PROG)
	$< help --bash-completion > $@.tmp && mv $@.tmp $@

# make install [PREFIX=/usr] [DESTDIR=/tmp/pkg]: what a package holds.
PREFIX        ?= /usr/local
BINDIR        ?= $(PREFIX)/bin
MANDIR        ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

install: $(O)/$(PROG) $(O)/$(PROG).1 $(O)/$(PROG).bash
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPLETIONDIR)
	install -m 755 $(O)/$(PROG) $(DESTDIR)$(BINDIR)/$(PROG)
	install -m 644 $(O)/$(PROG).1 $(DESTDIR)$(MANDIR)/man1/$(PROG).1
	install -m 644 $(O)/$(PROG).bash $(DESTDIR)$(COMPLETIONDIR)/$(PROG)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/$(PROG) $(DESTDIR)$(MANDIR)/man1/$(PROG).1 \
		$(DESTDIR)$(COMPLETIONDIR)/$(PROG)

# mmsim loads SimGrid (and the ns-3 libraries it needs: about 45 ms) at its first
# call only, through sim/lazy/simgrid.c instead of -lsimgrid; the tests link the library.
$(O)/$(PROG): $(O)/sim/main.o $(LIB_OBJ) $(O)/sim/lazy/simgrid.o
	$(CC) $(LDFLAGS) -o $@ $^ $(filter-out -lsimgrid,$(LDLIBS))

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/tests/%: $(O)/tests/unit/%.o $(O)/tests/unit/harness.o $(O)/tests/unit/script.o $(O)/tests/unit/cgworld.o $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The validation suite: runs mmsim, so it links only jansson.
$(O)/validate: $(O)/tests/validation/validate.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The property tests' scenario generator and results checker (tests/prop/).
$(O)/prop-gen: $(O)/tests/prop/gen.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/prop-check: $(O)/tests/prop/check.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(shell find $(O) -name '*.d' 2>/dev/null)

# Installs the Debian packages that are missing (apt-get update first); needs root.
deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "make deps: missing Debian packages:$$missing"; \
			echo "make deps: run 'sudo make deps' (or install them with apt-get) first"; exit 1; \
		fi; \
		echo "make deps: installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# The tests of this build directory (no dependency install): unit tests, then the CLI tests.
check-fast: $(O)/$(PROG) $(TESTS) $(O)/validate $(O)/prop-gen $(O)/prop-check
	MMSIM=$(O)/$(PROG) UNIT_TESTS="$(TESTS)" VALIDATE=$(O)/validate \
		PROP_GEN=$(O)/prop-gen PROP_CHECK=$(O)/prop-check \
		MMSIM_SIMGRID_FLAGS="$(MMSIM_SIMGRID_FLAGS)" \
		SANITIZED=$(if $(SANITIZE),1,) sh tests/run.sh

check-san:
	$(MAKE) check-fast SANITIZE=address,undefined CFLAGS="-O1 -g" \
		MMSIM_SIMGRID_FLAGS="--cfg=contexts/factory:thread --log=xbt_cfg.thres:warning"

# Every binary of the tree built by clang too, with its own warnings as errors.
bins: $(O)/$(PROG) $(TESTS) $(O)/validate
check-clang:
	$(MAKE) bins O=build-clang CC=clang LTO=

check: deps
	$(MAKE) format-check
	$(SUBMAKE) check-clang
	$(SUBMAKE) check-fast
	$(SUBMAKE) check-san
	$(SUBMAKE) check-fuzz

demo: deps
	$(SUBMAKE) all
	./$(PROG) suite scenarios.json --out out

# make figures: each seed scenario runs into out/figures/<name>, then 'mmsim plot'
# draws the figures it declares into figures/<name>/ (<fig>.pdf, .png, .gp, .dat).
# FIGURE_REPLICATIONS: every point's replications, whose confidence intervals
# are drawn as bands.
FIGURE_SCENARIOS    := seed-000-retry seed-000-swap seed-000-later seed-002-kvm-apf seed-003-cow-memcg \
                       seed-004-mlock-ps seedbench rwsem-policies seed-000-devices seed-002-nvme
FIGURE_REPLICATIONS ?= 5
FIGURE_FORMATS      ?= pdf,png

figures: deps
	$(SUBMAKE) all
	@set -e; for s in $(FIGURE_SCENARIOS); do \
		echo "make figures: scenarios/$$s.json -> figures/$$s"; \
		./$(PROG) run scenarios/$$s.json --quiet --out out/figures/$$s \
			$(if $(filter-out 1,$(FIGURE_REPLICATIONS)),--set replications=$(FIGURE_REPLICATIONS)); \
		./$(PROG) plot out/figures/$$s --format $(FIGURE_FORMATS) --dir figures/$$s --quiet; \
	done

# A refactor changes no result: every scenario of scenarios.json, run short by the
# binary of revision BASE and by the working tree's, byte-identical (tests/identity.sh).
BASE ?= HEAD
identity: deps
	sh tests/identity.sh $(BASE)

# docs/validation.md: the validation suite's cases, simulated and exact values, intervals.
validation: deps
	$(MAKE) all $(O)/validate
	$(O)/validate --mmsim $(O)/$(PROG) > docs/validation.md.tmp && mv docs/validation.md.tmp docs/validation.md

# make calibrate [CALIBRATE_SECONDS=N] [CALIBRATE_REPETITIONS=N] [CALIBRATE_ROUNDS=N]: in each
# of N rounds mmsim probe, then the seed-000 experiment run for real (each phase N times, a rate
# their median), then its prediction from that round's machine file (scenarios/host-seed-000.json)
# into out/calibrate/round-N; then docs/calibration.md (medians over the rounds of each quantity
# and of the rounds' errors) and docs/calibration.png (docs/calibrate.sh reads the JSON with jq).
# CALIBRATE_REUSE=1: the measurements already in out/calibrate, only the prediction again.
CALIBRATE_SECONDS ?= 5
CALIBRATE_REPETITIONS ?= 1
CALIBRATE_ROUNDS ?= 4
CALIBRATE_REUSE   ?= 0
.PHONY: calibrate
calibrate: DEBS += jq
calibrate: deps
	$(MAKE) all
	CALIBRATE_REUSE=$(CALIBRATE_REUSE) sh docs/calibrate.sh ./$(PROG) out/calibrate $(CALIBRATE_SECONDS) \
		$(CALIBRATE_REPETITIONS) $(CALIBRATE_ROUNDS)

# bench/run.sh finds ../shared/bench from its own location and builds the references
# out of tree, in its temporary directory (../shared stays untouched).
bench: BENCH_REPO := $(patsubst %/,%,$(dir $(abspath $(firstword $(MAKEFILE_LIST)))))
bench: DEBS += python3-simpy
bench: deps
	$(MAKE) -C "$(BENCH_REPO)" all
	sh "$(BENCH_REPO)/bench/run.sh"

# Every C source follows .clang-format; check: make format-check fails on any difference.
C_SOURCES = $(wildcard sim/*.[ch] sim/metrics/*.[ch] sim/lazy/*.c models/*.[ch] tests/unit/*.[ch] tests/fuzz/*.[ch] \
                       tests/prop/*.[ch] tests/validation/*.[ch])
format:
	clang-format -i $(C_SOURCES)
format-check:
	clang-format --dry-run -Werror $(C_SOURCES)

# The README's reference tables, rewritten from the binary (tests/cli/readme.sh checks them).
readme: $(PROG)
	MMSIM=./$(PROG) sh tests/readme-tables.sh --write

clean:
	rm -rf build build-san build-clang build-identity build-fuzz $(PROG) out figures

help:
	@sed -n '1,10p' Makefile

# make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS=...]: libFuzzer targets (tests/fuzz/) of the
# scenario loader, the --set overrides and the empirical reader, built by clang with
# ASan+UBSan in build-fuzz/ (asserts on), N seconds each; see tests/fuzz/run.sh.
# check-fuzz: what 'make check' runs: the regression inputs, then 15 s a target from the
# seeds alone (FUZZ_CORPUS: a fresh one, not the corpus grown by make fuzz).
FUZZ_O       := build-fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= scenario set empirical
FUZZ_CORPUS  ?= $(FUZZ_O)/corpus
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_LIB_OBJ := $(patsubst %.c,$(FUZZ_O)/%.o,$(LIB_SRC) tests/fuzz/fuzz.c)

$(FUZZ_O)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -UNDEBUG -std=c11 $(WARN) -Werror -O1 -g $(PKG_CFLAGS) $(FUZZ_SAN) \
		-fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_O)/fuzz_%: $(FUZZ_O)/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

# kept: they are intermediate files of the pattern rules
.PRECIOUS: $(FUZZ_O)/%.o
-include $(shell find $(FUZZ_O) -name '*.d' 2>/dev/null)

fuzz: DEBS += clang libclang-rt-14-dev
fuzz: deps
	$(MAKE) $(patsubst %,$(FUZZ_O)/fuzz_%,$(FUZZ_TARGETS))
	FUZZ_CORPUS=$(FUZZ_CORPUS) nice -n 10 sh tests/fuzz/run.sh $(FUZZ_O) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

.PHONY: fuzz check-fuzz
check-fuzz:
	rm -rf $(FUZZ_O)/corpus-check
	$(MAKE) fuzz FUZZ_SECONDS=15 FUZZ_CORPUS=$(FUZZ_O)/corpus-check
