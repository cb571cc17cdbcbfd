# formation: a Procfile process manager.
#
# make            build build/formation and build/formationd
# make run        build, then run the demo app (Procfile.example)
# make test       unit and integration tests
# make sanitize   the same tests under ASan and UBSan
# make test-systemd  the systemd unit under a real systemd (nspawn; root)
# make bench      formation against its peers (installs them; minutes)
# make fuzz       the parsers and the protocol decoder under libFuzzer
# make install    PREFIX=/usr/local DESTDIR= : binaries, man pages and
#                 shell completions
# make deb        the Debian package, into build/deb/

VERSION := $(shell sed -n 's/^\#define FORMATION_VERSION "\(.*\)"$$/\1/p' \
	common/version.h)
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
B ?= build

CC ?= cc
CFLAGS ?= -O2 -g -D_FORTIFY_SOURCE=2
WARNFLAGS = -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wcast-qual \
	-Wstrict-prototypes -Wmissing-prototypes -Wmissing-declarations \
	-Wformat=2 -Wundef -Wvla -Wno-unused-parameter
PKG_CFLAGS := $(shell pkg-config --cflags inih check 2>/dev/null)
INIH_LIBS := $(shell pkg-config --libs inih 2>/dev/null || echo -linih)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)
# Debian ships no libev.pc.
EV_LIBS := $(shell pkg-config --libs libev 2>/dev/null || echo -lev)

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARNFLAGS) -I. $(PKG_CFLAGS) $(CPPFLAGS) \
	-MMD -MP $(SANFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

COMMON_SRCS := $(sort $(wildcard common/*.c))
DAEMON_SRCS := $(sort $(filter-out daemon/main.c,$(wildcard daemon/*.c)))
CLI_SRCS := $(sort $(filter-out cli/main.c,$(wildcard cli/*.c)))
UNIT_SRCS := $(sort $(wildcard tests/unit/check_*.c))

COMMON_OBJS := $(COMMON_SRCS:%.c=$(B)/%.o)
DAEMON_OBJS := $(DAEMON_SRCS:%.c=$(B)/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(B)/%.o) $(B)/cli/completion_scripts.o
UNIT_BINS := $(UNIT_SRCS:%.c=$(B)/%)

COMPLETIONS := cli/completion/formation.bash cli/completion/_formation \
	cli/completion/formation.fish
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

MANS := docs/formation.1 docs/formationd.8 docs/formation.ini.5 \
	docs/procfile.5

# An archive, empty when a directory has no sources besides main.c.
archive = @mkdir -p $(dir $1); rm -f $1; printf '!<arch>\n' >$1; \
	$(if $2,$(AR) rcs $1 $2)

.PHONY: all deps run test unit integration sanitize install clean format \
	lint-man bench fuzz test-systemd deb

all: $(B)/formation $(B)/formationd

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The completion scripts, as strings for "formation completion SHELL".
$(B)/cli/completion_scripts.c: $(COMPLETIONS) scripts/embed
	@mkdir -p $(@D)
	sh scripts/embed $@ completion_bash=cli/completion/formation.bash \
		completion_zsh=cli/completion/_formation \
		completion_fish=cli/completion/formation.fish

$(B)/cli/completion_scripts.o: $(B)/cli/completion_scripts.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libcommon.a: $(COMMON_OBJS)
	$(call archive,$@,$^)

$(B)/libdaemon.a: $(DAEMON_OBJS)
	$(call archive,$@,$^)

$(B)/libcli.a: $(CLI_OBJS)
	$(call archive,$@,$^)

$(B)/formationd: $(B)/daemon/main.o $(B)/libdaemon.a $(B)/libcommon.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(INIH_LIBS) $(EV_LIBS)

# The CLI is linked statically where the static libraries are installed
# (libc6-dev, libinih-dev): it starts in 0.4 ms instead of 0.6 ms, and a
# one-off's round trip is two program starts. STATIC= links it
# dynamically; the sanitizers always do.
static_lib = $(wildcard $(shell $(CC) -print-file-name=$1 2>/dev/null))
STATIC ?= $(if $(and $(call static_lib,libc.a),$(call static_lib,libinih.a)),-static)
$(B)/formation: $(B)/cli/main.o $(B)/libcli.a $(B)/libcommon.a
	$(CC) $(ALL_LDFLAGS) $(if $(SANFLAGS),,$(STATIC)) -o $@ $^ $(INIH_LIBS)

$(B)/tests/unit/%: $(B)/tests/unit/%.o $(B)/libdaemon.a $(B)/libcli.a \
		$(B)/libcommon.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(INIH_LIBS) $(EV_LIBS) \
		-lutil

deps:
	@sh scripts/deps

run: deps
	@$(MAKE) --no-print-directory all
	$(B)/formation up -f Procfile.example -m worker=2

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS)
	@sh tests/run $(B)

unit: all $(UNIT_BINS)
	@sh tests/run $(B) unit

integration: all
	@sh tests/run $(B) integration

# The exported unit under systemd 252 as PID 1 of a systemd-nspawn
# container (a Debian rootfs bootstrapped once into $(B)/systemd). Says
# "skipped" where nspawn cannot run: not root, no debootstrap.
test-systemd: deps
	@$(MAKE) --no-print-directory all
	@sh tests/systemd/run $(B) $(SYSTEMD_TESTS)

sanitize: deps
	@$(MAKE) --no-print-directory B=build-san CC=gcc \
		SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		CFLAGS="-O1 -g" all $(UNIT_SRCS:%.c=build-san/%)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		sh tests/run build-san

# make fuzz: the libFuzzer targets of tests/fuzz/, built by clang under
# ASan and UBSan in build-fuzz/, each run for FUZZ_SECONDS from seeds made
# of tests/corpus/ and valid frames; fails on any crash. FUZZ_TARGETS
# picks some; the corpus each grows stays in build-fuzz/corpus/.
FUZZ_SECONDS ?= 20
FUZZ_TARGETS ?= procfile envfile config protocol relfile
FUZZ_CC ?= clang
FUZZ_PKGS ?= clang libclang-rt-dev
FUZZ_BINS = $(FUZZ_TARGETS:%=$(B)/tests/fuzz/fuzz_%)
FUZZ_SANFLAGS = -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: fuzz-build

fuzz: deps
	@sh tests/fuzz/toolchain $(FUZZ_CC) $(FUZZ_PKGS)
	@$(MAKE) --no-print-directory B=build-fuzz CC=$(FUZZ_CC) \
		SANFLAGS="$(FUZZ_SANFLAGS)" CFLAGS="-O1 -g" fuzz-build
	@sh tests/fuzz/make-seeds build-fuzz/seeds \
		build-fuzz/tests/fuzz/seedgen
	@sh tests/fuzz/run build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Internal: what make fuzz builds with clang.
fuzz-build: $(FUZZ_BINS) $(B)/tests/fuzz/seedgen
	@:

$(FUZZ_BINS): $(B)/tests/fuzz/%: $(B)/tests/fuzz/%.o $(B)/libcommon.a
	$(CC) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(INIH_LIBS)

$(B)/tests/fuzz/seedgen: $(B)/tests/fuzz/seedgen.o $(B)/libcommon.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(INIH_LIBS)

lint-man:
	@sh tests/lint-man $(MANS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR)
	install -m 755 $(B)/formation $(DESTDIR)$(BINDIR)/formation
	install -m 755 $(B)/formationd $(DESTDIR)$(SBINDIR)/formationd
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man8
	install -m 644 docs/formation.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 docs/formation.ini.5 docs/procfile.5 \
		$(DESTDIR)$(MANDIR)/man5/
	install -m 644 docs/formationd.8 $(DESTDIR)$(MANDIR)/man8/
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(FISHCOMPDIR)
	install -m 644 cli/completion/formation.bash \
		$(DESTDIR)$(BASHCOMPDIR)/formation
	install -m 644 cli/completion/_formation $(DESTDIR)$(ZSHCOMPDIR)/_formation
	install -m 644 cli/completion/formation.fish \
		$(DESTDIR)$(FISHCOMPDIR)/formation.fish

# make deb: the Debian package, built as Debian builds it (debian/,
# dpkg-buildpackage), into $(B)/deb/.
deb:
	@sh scripts/deps debhelper dpkg-dev
	dpkg-buildpackage -us -uc -b
	@mkdir -p $(B)/deb
	mv ../formation_$(VERSION)_*.deb ../formation_$(VERSION)_*.buildinfo \
		../formation_$(VERSION)_*.changes $(B)/deb/
	@ls $(B)/deb/*.deb

format:
	clang-format -i common/*.[ch] daemon/*.[ch] cli/*.[ch] tests/unit/*.[ch]

bench: all
	@sh bench/run

clean:
	rm -rf build build-san build-fuzz

# ($(B)/systemd holds test-systemd's Debian: not ours to read.)
-include $(shell find $(B) -path $(B)/systemd -prune -o -name '*.d' -type f -print 2>/dev/null)
