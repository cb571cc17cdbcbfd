#!/bin/sh
# Which Procfile: -f > FORMATION_PROCFILE > formation.ini > Procfile.
. "$(dirname "$0")/lib.sh"

printf 'default: bin/default\n' >Procfile
printf 'ini: bin/ini\n' >Procfile.ini
printf 'var: bin/var\n' >Procfile.var
printf 'flag: bin/flag\n' >Procfile.flag

types() {
	"$FORMATION" check --json "$@" >out.json 2>err ||
	    fail "check $*: $(cat err)"
	python3 -c 'import json, sys
print(" ".join(p["name"] for p in json.load(open(sys.argv[1]))["processes"]))' \
	    out.json
}

assert_eq default "$(types)" "no setting"
printf '[formation]\nprocfile = Procfile.ini\n' >formation.ini
assert_eq ini "$(types)" "formation.ini"
FORMATION_PROCFILE=Procfile.var
export FORMATION_PROCFILE
assert_eq var "$(types)" "FORMATION_PROCFILE over formation.ini"
assert_eq flag "$(types -f Procfile.flag)" "-f over FORMATION_PROCFILE"
exit 0
