# formation export kubernetes and compose from the release history on
# disk, with a daemon up and with none: the files and their order, the
# counts and names, a one-off's pod, the stream on stdout; and every name
# checked before anything is written, errors naming what is wrong.
. "$(dirname "$0")/lib.sh"

app="$T/My_App.v2"
mkdir "$app" && cd "$app" || fail "mkdir"
cat >Procfile <<'EOF'
web: exec sleep 1000
worker: exec sleep 1001
release: true
EOF
printf 'A=1\nB=\047two $words\047\n' >.env
printf '[process.worker]\nstop_signal = QUIT\ntimeout = 4\n' >formation.ini
chmod 644 Procfile .env formation.ini
start_detached -t 1

kube() {	# out err export-args...
	_out=$1 _err=$2
	shift 2
	"$FORMATION" export kubernetes "$@" >"$T/$_out" 2>"$T/$_err"
}

# With the daemon up: the files of the current release, in apply order.
kube out err k8s --image reg/shop:1 -m worker=3 ||
	fail "export exited $?: $(cat "$T/err")"
want="k8s/my-app-v2-env-v1.yaml
k8s/my-app-v2-release-v1.yaml
k8s/my-app-v2-web-deployment.yaml
k8s/my-app-v2-worker-deployment.yaml
k8s/my-app-v2-web-service.yaml
k8s/kustomization.yaml"
assert_eq "$want" "$(cat "$T/out")" "the files export prints"
for f in $want; do [ -s "$f" ] || fail "no $f"; done
assert_grep '^  replicas: 3$' k8s/my-app-v2-worker-deployment.yaml
assert_grep '^  replicas: 1$' k8s/my-app-v2-web-deployment.yaml
assert_grep 'terminationGracePeriodSeconds: 4$' \
    k8s/my-app-v2-worker-deployment.yaml
assert_grep '"kill -QUIT 1; ' k8s/my-app-v2-worker-deployment.yaml
assert_grep '^  "B": "two \$words"$' k8s/my-app-v2-env-v1.yaml
assert_grep '^  "FORMATION_RELEASE": "v1"$' k8s/my-app-v2-env-v1.yaml
assert_no_grep 'release-v1' k8s/kustomization.yaml
assert_grep 'kubectl wait --for=condition=complete .*job/my-app-v2-release-v1' \
    "$T/err"
assert_grep 'kubectl apply -k k8s$' "$T/err"

# --secret, --namespace: a Secret, and the namespace everywhere.
kube out err - --image reg/shop:1 --secret --namespace shop-prod ||
	fail "export - exited $?: $(cat "$T/err")"
assert_eq 5 "$(grep -c '^---$' "$T/out")" "documents on stdout"
assert_grep '^kind: Secret$' "$T/out"
assert_grep '^stringData:$' "$T/out"
assert_eq 5 "$(grep -c '^  namespace: "shop-prod"$' "$T/out")" \
    "objects in the namespace"
assert_no_grep ConfigMap "$T/out"

"$FORMATION" down >/dev/null 2>&1 || fail "down"
DAEMON_PID=""

# A type that cannot be a name, once it would run: refused, naming it,
# and nothing written.
printf 'web: exec sleep 1000\nMail_Out: exec sleep 1\nbus: exec sleep 1\n' \
    >Procfile
printf '[process.bus]\nready = notify\n' >formation.ini
start_detached -t 1 -m bus=0
"$FORMATION" down >/dev/null 2>&1 || fail "down"
DAEMON_PID=""
kube out err k8s2 --image reg/shop:2 && fail "export of Mail_Out passed"
assert_grep "^formation: export: process type 'Mail_Out' (Procfile:2) cannot be a Kubernetes name" "$T/err"
[ -e k8s2 ] && fail "k8s2 was made"
# Not run: not mapped.
kube out err k8s2 --image reg/shop:2 -m Mail_Out=0 ||
	fail "export -m Mail_Out=0 exited $?: $(cat "$T/err")"
# A ready check with no probe: said, and left out.
assert_grep "^formation: warning: export: the ready check of 'bus' (notify) has no Kubernetes probe: left out\$" \
    "$T/err"
assert_no_grep Probe k8s2/my-app-v2-bus-deployment.yaml
assert_eq "k8s2/my-app-v2-env-v2.yaml
k8s2/my-app-v2-web-deployment.yaml
k8s2/my-app-v2-bus-deployment.yaml
k8s2/my-app-v2-web-service.yaml
k8s2/kustomization.yaml" "$(cat "$T/out")" "v2's files"
# An older release, with no daemon.
kube out err k8s3 --image reg/shop:1 --release v1 ||
	fail "export --release v1 exited $?: $(cat "$T/err")"
assert_grep '^k8s3/my-app-v2-worker-deployment.yaml$' "$T/out"
kube out err k8s3 --image reg/shop:1 --release v9 && fail "v9 exported"
assert_grep "^formation: export: no release v9 (releases: v1, v2)" "$T/err"

# The app's name: --app, checked; every name in 63 characters.
kube out err - --image x --release v1 --app Shop && fail "--app Shop"
assert_grep "'Shop' cannot be the app's name" "$T/err"
long=a23456789012345678901234567890123456789012345678901234567
kube out err - --image x --release v1 --app $long && fail "--app long"
assert_grep "the name '$long-worker' of process type 'worker' is longer than 63" \
    "$T/err"
kube out err - --release v1 && fail "no --image"
assert_grep "formation: export: --image IMAGE is required" "$T/err"
kube out err - --image x --namespace Prod && fail "--namespace Prod"
assert_grep "bad namespace 'Prod'" "$T/err"

# A one-off: the pod and the environment, and how to follow it.
kube out err k8s4 --image x --release v1 --run web -t -- 'a b' "c'd" ||
	fail "export --run exited $?: $(cat "$T/err")"
pod=$(sed -n 's|^k8s4/\(my-app-v2-v1-run-[0-9]\{5\}\)\.yaml$|\1|p' "$T/out")
[ -n "$pod" ] || fail "no pod in: $(cat "$T/out")"
assert_eq 2 "$(wc -l <"$T/out")" "files of a one-off"
assert_grep "^k8s4/my-app-v2-env-v1.yaml$" "$T/out"
grep -qF -- "- \"exec sleep 1000 'a b' 'c'\\\\''d'\"" "k8s4/$pod.yaml" ||
	fail "the arguments of --run, quoted: $(grep exec "k8s4/$pod.yaml")"
assert_grep "^      tty: true$" "k8s4/$pod.yaml"
assert_grep "value: \"run.$(echo "$pod" | sed 's/.*-0*//')\"" "k8s4/$pod.yaml"
assert_grep "kubectl attach -it pod/$pod" "$T/err"
assert_grep "state.terminated.exitCode" "$T/err"
kube out err - --image x --run nope && fail "--run nope"
assert_grep "unknown process type 'nope' (v2 has web, Mail_Out, bus)" "$T/err"
kube out err - --image x -t && fail "-t alone"
assert_grep "export: -t is for a one-off" "$T/err"

# compose: one file, every "$" doubled; kubernetes' options refused.
"$FORMATION" export compose dc.yml --image x --release v1 >"$T/out" \
    2>"$T/err" || fail "export compose exited $?: $(cat "$T/err")"
assert_eq dc.yml "$(cat "$T/out")" "the file export compose prints"
assert_grep '^      "B": "two \$\$words"$' dc.yml
assert_grep '^    profiles: \["release"\]$' dc.yml
assert_no_grep '^name:' dc.yml
"$FORMATION" export compose --image x --secret >"$T/out" 2>"$T/err" &&
	fail "compose --secret"
assert_grep "are for kubernetes" "$T/err"
"$FORMATION" export swarm >"$T/out" 2>"$T/err" && fail "swarm"
assert_grep "unknown format 'swarm' (there are 'systemd', 'kubernetes' and 'compose')" \
    "$T/err"

# No history: said.
mkdir "$T/empty" && cd "$T/empty" && printf 'web: x\n' >Procfile
kube out err - --image x && fail "export with no history"
assert_grep "no release history in" "$T/err"
exit 0
