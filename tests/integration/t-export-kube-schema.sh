# Every object formation export kubernetes writes (the formation, the
# release phase, probes, --secret with a namespace, one-offs) is valid against the
# Kubernetes schemas of npm's kubernetes-models, installed with npm in the
# test's directory; the values come back from the YAML as the env file
# has them; kubectl kustomize builds the kustomization, offline.
. "$(dirname "$0")/lib.sh"
. "$TESTS_TOP/tests/integration/kubeapp.sh"

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
	skip "node and npm are not installed: no schemas to check against"
mkdir -p "$T/npm" && printf '{"private": true}\n' >"$T/npm/package.json"
timeout 150 npm install --prefix "$T/npm" --no-audit --no-fund --silent \
    --no-update-notifier kubernetes-models js-yaml >"$T/npm.log" 2>&1 ||
	skip "npm install kubernetes-models js-yaml failed: $(tail -n 2 "$T/npm.log")"
export NODE_PATH="$T/npm/node_modules"

kube_app
ex() {	# dir export-args...
	_dir=$1
	shift
	"$FORMATION" export kubernetes "$T/$_dir" --image reg.example/shop:1 \
	    "$@" >"$T/out" 2>"$T/err" ||
		fail "export $* exited $?: $(cat "$T/err")"
}
ex k8s -m web=2,worker=1
ex k8s-secret --secret --namespace shop-prod --app shop-b -m worker=0
ex k8s-oneoff --oneoff 'rake db:migrate' -t
ex k8s-oneoff --run web -- --verbose 'a b'
files=$(ls "$T"/k8s*/*.yaml | grep -v kustomization.yaml)
assert_eq 13 "$(echo "$files" | wc -l)" "objects written"

# shellcheck disable=SC2086
node "$TESTS_TOP/tests/integration/kubevalidate.js" $files >"$T/valid" 2>&1 ||
	fail "invalid objects: $(cat "$T/valid")"
assert_eq "13 valid" "$(cat "$T/valid")" "the validator"
# It can fail: a count as a string, a name with '_'.
sed 's/^  replicas: 2$/  replicas: "2"/' "$T/k8s/shop-web-deployment.yaml" \
    >"$T/bad1.yaml"
sed 's/^  name: "shop-web"$/  name: "shop_web"/' \
    "$T/k8s/shop-web-deployment.yaml" >"$T/bad2.yaml"
for b in bad1 bad2; do
	node "$TESTS_TOP/tests/integration/kubevalidate.js" "$T/$b.yaml" \
	    >"$T/valid" 2>&1 && fail "$b.yaml passed: $(cat "$T/valid")"
done

# The worker's ready check: a probe, its timeout a startup probe, and a
# Service, as its check is on its PORT.
w="$T/k8s/shop-worker-deployment.yaml"
assert_grep '^          readinessProbe:$' "$w"
assert_grep '^              path: "/healthz"$' "$w"
assert_grep '^            failureThreshold: 20$' "$w"
[ -s "$T/k8s/shop-worker-service.yaml" ] || fail "no Service for worker"

# The values as YAML gives them back, and the kinds.
node -e '
const yaml = require("js-yaml"), fs = require("fs");
const cm = yaml.load(fs.readFileSync(process.argv[1], "utf8"));
const s = yaml.load(fs.readFileSync(process.argv[2], "utf8"));
process.stdout.write(JSON.stringify([cm.kind, cm.data.S, cm.data.N,
    cm.data.U, cm.data.Q, cm.data.NUM, cm.data.EMPTY, s.kind,
    s.stringData.S, cm.data.PATH === undefined]));
' "$T/k8s/shop-env-v1.yaml" "$T/k8s-secret/shop-b-env-v1.yaml" >"$T/values" ||
	fail "node could not read the ConfigMap"
want='["ConfigMap","$HOME $(x) $$ \"q\" back\\slash #h","line1\nline2\ttab","café € ✓","a \"quoted\" word: yes","0755","","Secret","$HOME $(x) $$ \"q\" back\\slash #h",true]'
assert_eq "$want" "$(cat "$T/values")" "the values read back"

if command -v kubectl >/dev/null 2>&1; then
	for d in k8s k8s-secret; do
		kubectl kustomize "$T/$d" >"$T/$d.built" 2>"$T/kerr" ||
			fail "kubectl kustomize $d: $(cat "$T/kerr")"
	done
	assert_eq "ConfigMap Deployment Deployment Service Service" \
	    "$(sed -n 's/^kind: //p' "$T/k8s.built" | sort | tr '\n' ' ' | sed 's/ $//')" \
	    "the kinds kustomize builds"
	assert_eq 3 "$(grep -c '^  namespace: shop-prod$' "$T/k8s-secret.built")" \
	    "objects in the namespace"
else
	echo "kubectl is not installed: the kustomization was not built"
fi
exit 0
