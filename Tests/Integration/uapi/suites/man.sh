#!/usr/bin/env bash
# The man pages: mandoc -Tlint finds nothing, man(1) renders them without complaint, and
# they document every command, keyword, config key and environment variable. The lists
# are read from the installed wg/wg-quick (their usage texts, man pages and script), so
# a keyword wg knows and our pages miss fails here.
set -u
source "$(dirname "$0")/../../lib.sh"
SUITE=man
cd "$ROOT" || exit 1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

for tool in mandoc man wg wg-quick; do
  command -v "$tool" >/dev/null || { fail "tool $tool" "not installed"; summary; exit 1; }
done

# --- lint ------------------------------------------------------------------------------
for page in man/swg.8 man/swg-quick.8; do
  mandoc -Tlint "$page" >"$TMP/lint.out" 2>"$TMP/lint.err"
  rc=$?
  # stderr may only carry mandoc's notes about the system's own manual database.
  grep -v 'outdated mandoc.db' "$TMP/lint.err" >>"$TMP/lint.out"
  expect_eq "mandoc -Tlint $page is silent" "" "$(cat "$TMP/lint.out")"
  expect_eq "mandoc -Tlint $page exits 0" 0 "$rc"
done

# The checker must be able to fail: a page with a mistake is reported.
sed 's/^\.Sh EXIT STATUS$/.Sh EXIT STATUS\n.Bl -tag/' man/swg.8 >"$TMP/broken.8"
if [[ -n $(mandoc -Tlint "$TMP/broken.8" 2>/dev/null) ]]; then pass "mandoc -Tlint reports a broken copy"; else fail "mandoc -Tlint reports a broken copy" "no message"; fi

# --- rendering with man-db (groff) -------------------------------------------------------
for page in man/swg.8 man/swg-quick.8; do
  name=$(basename "$page" .8)
  MANWIDTH=80 man --warnings -l "$page" >"$TMP/$name.txt" 2>"$TMP/$name.err"
  rc=$?
  expect_eq "man -l $page exits 0" 0 "$rc"
  expect_eq "man -l $page prints no warnings" "" "$(cat "$TMP/$name.err")"
  upper=${name^^}
  expect_eq "man -l $page header" "$upper(8)" "$(head -n 1 "$TMP/$name.txt" | awk '{print $1}')"
  for section in NAME SYNOPSIS DESCRIPTION "CONFIGURATION FILE FORMAT" ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
    if grep -qx "$section" "$TMP/$name.txt"; then pass "$name has section $section"; else fail "$name has section $section" "missing"; fi
  done
  # No raw macros or escapes leaking into the text.
  if grep -nE '^\.[A-Z][a-z]|\\f[BIRP]|\\-' "$TMP/$name.txt" >"$TMP/leak"; then
    fail "$name renders without raw roff" "$(head -n 3 "$TMP/leak")"
  else
    pass "$name renders without raw roff"
  fi
done

# --- what the pages must document --------------------------------------------------------
# The tag lines of a page (".It ..." and the lines of ".It Xo ... .Xc"), with \- turned
# into - and "Fl x" into "-x", so documented items can be looked up word by word.
items() {
  awk '/^\.It Xo/ { x = 1; next } /^\.Xc/ { x = 0 } x || /^\.It / { print }' "$1" |
    sed -e 's/^\.//' -e 's/\\-/-/g' -e 's/Fl \([^ ]*\)/-\1/g'
}
# documented PAGE KIND TERM: TERM is the tag of a list item in PAGE.
documented() {
  if items "$1" | grep -qE "(^| )$(sed 's/[.+]/\\&/g' <<<"$3")( |,|\$)"; then
    pass "$(basename "$1") documents $2 $3"
  else
    fail "$(basename "$1") documents $2 $3" "no list item for it"
  fi
}

# Subcommands: from `wg --help`.
subs=$(wg --help | sed -n 's/^  \([a-z]*\): .*/\1/p' | tr '\n' ' ')
[[ $(wc -w <<<"$subs") -ge 9 ]] && pass "wg --help lists subcommands" || fail "wg --help lists subcommands" "$subs"
for s in $subs help version; do documented man/swg.8 command "$s"; done
# ... and whatever swg itself lists, when it is built.
if [[ -x $SWG ]]; then
  for s in $("$SWG" --help | sed -n 's/^  \([a-z]*\): .*/\1/p'); do
    [[ " $subs " == *" $s "* ]] || documented man/swg.8 "swg command" "$s"
  done
  [[ -n $("$SWG" --help | sed -n 's/^  \([a-z]*\): .*/\1/p') ]] && pass "swg --help lists subcommands" ||
    fail "swg --help lists subcommands" ""
fi

# show fields: from `wg show --help`.
fields=$(wg show --help 2>&1 | sed 's/.*} \[//; s/\]$//; s/|//g')
[[ $(wc -w <<<"$fields") -ge 12 ]] && pass "wg show --help lists fields" || fail "wg show --help lists fields" "$fields"
for f in $fields; do documented man/swg.8 "show field" "$f"; done

# set keywords: the bracketed words of `wg set`'s usage, plus swg's own.
setkw=$(wg set 2>&1 | grep -o '\[[a-z-]*' | tr -d '[' | sort -u)
[[ $(wc -w <<<"$setkw") -ge 9 ]] && pass "wg set usage lists keywords" || fail "wg set usage lists keywords" "$setkw"
for k in $setkw update-only; do documented man/swg.8 "set keyword" "$k"; done
for o in --json --show-keys; do documented man/swg.8 option "$o"; done

# Config keys: the bulleted fields of wg(8) and wg-quick(8).
wgkeys=$(zcat /usr/share/man/man8/wg.8.gz | awk '/^\.IP \\\(bu/ { getline; print $1 }')
quickkeys=$(zcat /usr/share/man/man8/wg-quick.8.gz | awk '/^\.IP \\\(bu/ { getline; sub(/ \\\(em.*/, ""); gsub(/,/, ""); print }')
[[ $(wc -w <<<"$wgkeys") -ge 8 ]] && pass "wg(8) lists config keys" || fail "wg(8) lists config keys" "$wgkeys"
[[ $(wc -w <<<"$quickkeys") -ge 9 ]] && pass "wg-quick(8) lists config keys" || fail "wg-quick(8) lists config keys" "$quickkeys"
for k in $wgkeys; do documented man/swg.8 "config key" "$k"; done
for k in $quickkeys; do documented man/swg-quick.8 "config key" "$k"; done
for k in $wgkeys; do
  if grep -qw -- "$k" man/swg-quick.8; then pass "swg-quick.8 mentions $k"; else fail "swg-quick.8 mentions $k" "missing"; fi
done

# Environment: wg(8)'s variables and those wg-quick's script reads.
wgenv=$(zcat /usr/share/man/man8/wg.8.gz | grep -o 'WG_[A-Z_]*' | sort -u)
quickenv=$(grep -o '\${WG_[A-Z_]*:-' "$(command -v wg-quick)" | tr -d '${:-' | sort -u)
[[ -n $wgenv && -n $quickenv ]] && pass "environment lists found" || fail "environment lists found" "wg: $wgenv quick: $quickenv"
for v in $wgenv; do documented man/swg.8 "environment variable" "$v"; done
for v in $quickenv WG_ENDPOINT_RESOLUTION_RETRIES; do documented man/swg-quick.8 "environment variable" "$v"; done

# swg-quick's verbs: from `wg-quick --help`.
verbs=$(wg-quick --help 2>&1 | head -n 1 | grep -o '\[ [a-z |]* \]' | head -n 1 | tr -d '[]|')
[[ $(wc -w <<<"$verbs") -eq 4 ]] && pass "wg-quick --help lists verbs" || fail "wg-quick --help lists verbs" "$verbs"
for v in $verbs; do documented man/swg-quick.8 command "$v"; done

# Files and exit status are stated.
documented man/swg.8 file "/var/run/wireguard/"
documented man/swg-quick.8 file "/etc/wireguard/"
for page in man/swg.8 man/swg-quick.8; do
  name=$(basename "$page" .8)
  status=$(sed -n '/^EXIT STATUS$/,/^[A-Z]/p' "$TMP/$name.txt")
  if grep -q 'exits 0' <<<"$status" && grep -q ' 1 ' <<<"$status"; then pass "$name states its exit statuses"; else fail "$name states its exit statuses" "$status"; fi
  n=$(sed -n '/^EXAMPLES$/,/^[A-Z]/p' "$TMP/$name.txt" | grep -c "^ *# $name ")
  ((n >= 3)) && pass "$name has at least 3 command examples ($n)" || fail "$name has at least 3 command examples" "$n"
done

# The checker must be able to fail: a keyword the page lacks is reported as missing.
if items man/swg.8 | grep -qE '(^| )no-such-keyword( |,|$)'; then fail "lookup rejects unknown keyword" ""; else pass "lookup rejects unknown keyword"; fi

# --- installed pages are found by man --------------------------------------------------
make -s install-data DESTDIR="$TMP/root" PREFIX=/usr/local >"$TMP/make.out" 2>&1 ||
  fail "make install-data" "$(tail -n 3 "$TMP/make.out")"
for name in swg swg-quick; do
  out=$(MANWIDTH=80 man -M "$TMP/root/usr/local/share/man" 8 "$name" 2>/dev/null | head -n 1 | awk '{print $1}')
  expect_eq "man -M finds installed $name(8)" "${name^^}(8)" "$out"
done
make -s uninstall DESTDIR="$TMP/root" PREFIX=/usr/local >/dev/null 2>&1
left=$(find "$TMP/root" -name '*.8' | wc -l)
expect_eq "make uninstall removes the man pages" 0 "$left"

summary
