PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
SWIFT_RELEASE_FLAGS ?= -c release --static-swift-stdlib --scratch-path .build-release

.PHONY: all build release deps test demo install install-data uninstall clean

all: build

deps:
	bash scripts/install-deps.sh build

build: deps
	swift build

release: deps
	bash scripts/build-release.sh

test:
	bash scripts/test.sh

demo:
	bash scripts/demo.sh

install: release install-data
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 "$$(swift build $(SWIFT_RELEASE_FLAGS) --show-bin-path)/swg" $(DESTDIR)$(BINDIR)/swg
	install -m 0755 "$$(swift build $(SWIFT_RELEASE_FLAGS) --show-bin-path)/swg-quick" $(DESTDIR)$(BINDIR)/swg-quick

# Man pages and shell completions only (no build): where man, bash-completion, zsh
# (site-functions in fpath) and fish (vendor_completions.d) look for them.
install-data:
	install -d $(DESTDIR)$(MANDIR)/man8
	install -m 0644 man/swg.8 man/swg-quick.8 $(DESTDIR)$(MANDIR)/man8/
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 0644 completions/swg.bash $(DESTDIR)$(BASHCOMPDIR)/swg
	install -m 0644 completions/swg-quick.bash $(DESTDIR)$(BASHCOMPDIR)/swg-quick
	install -m 0644 completions/_swg completions/_swg-quick $(DESTDIR)$(ZSHCOMPDIR)/
	install -m 0644 completions/swg.fish completions/swg-quick.fish $(DESTDIR)$(FISHCOMPDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/swg $(DESTDIR)$(BINDIR)/swg-quick
	rm -f $(DESTDIR)$(MANDIR)/man8/swg.8 $(DESTDIR)$(MANDIR)/man8/swg-quick.8
	rm -f $(DESTDIR)$(BASHCOMPDIR)/swg $(DESTDIR)$(BASHCOMPDIR)/swg-quick
	rm -f $(DESTDIR)$(ZSHCOMPDIR)/_swg $(DESTDIR)$(ZSHCOMPDIR)/_swg-quick
	rm -f $(DESTDIR)$(FISHCOMPDIR)/swg.fish $(DESTDIR)$(FISHCOMPDIR)/swg-quick.fish

clean:
	rm -rf .build .build-release
