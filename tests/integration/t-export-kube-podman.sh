# formation export kubernetes, run by an engine that executes Kubernetes
# YAML: podman kube play, with an image imported from a rootfs of
# busybox and the app. The web Deployment runs 2 pods, a one-off Pod
# runs from the same release: its environment is the web pods' but for
# PS, PORT and the HOSTNAME the engine gives each pod, every value as the
# env file has it; its exit status is the command's.
#
# podman 4.3 (Debian 12) needs runc (crun refuses hybrid cgroups),
# cgroupfs, lower ulimits and no network here; it ignores kind: Job and
# expands no $(VAR) (so the commands played here have none). Its storage
# is the test's own, removed after.
. "$(dirname "$0")/lib.sh"
. "$TESTS_TOP/tests/integration/kubeapp.sh"

[ "$(id -u)" = 0 ] || skip "podman kube play here needs root (no user namespaces for others)"
kube_need podman podman
kube_need runc runc
[ -x /bin/busybox ] || kube_need busybox busybox-static
file -L /bin/busybox 2>/dev/null | grep -q dynamic &&
	skip "/bin/busybox is dynamically linked: install busybox-static"

P="$T/podman"
mkdir -p "$P/tmp" || fail "mkdir"
cat >"$P/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
events_logger = "file"
tmp_dir = "$P/tmp"
EOF
cat >"$P/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$P/graph"
runroot = "$P/run"
EOF
export CONTAINERS_CONF="$P/containers.conf"
export CONTAINERS_STORAGE_CONF="$P/storage.conf"

# Every pod and image of this storage, which is the test's alone.
podman_clean() {
	timeout 60 podman pod rm -f -a -t 0 >/dev/null 2>&1
	timeout 60 podman rm -f -a -t 0 >/dev/null 2>&1
	timeout 60 podman rmi -f -a >/dev/null 2>&1
	rm -rf "$P/graph" "$P/run" 2>/dev/null
}
trap 'rc0=$?; podman_clean; (exit $rc0); cleanup' EXIT

out=$(timeout 60 podman info --format '{{.Host.OCIRuntime.Name}}' 2>&1) ||
	skip "podman cannot run here: $(echo "$out" | tail -n 1)"

kube_app

# The image: busybox, its applets, and the app in /app, its working
# directory (the app root, as on one host).
root="$T/rootfs"
mkdir -p "$root/bin" "$root/tmp" || fail "mkdir rootfs"
cp /bin/busybox "$root/bin/busybox" || fail "cp busybox"
for a in $(/bin/busybox --list); do
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done
cp -R "$app" "$root/app" && rm -rf "$root/app/.formation"
image="localhost/formation-test-$$:1"
tar -C "$root" -c . | timeout 60 podman import \
    --change 'WORKDIR=/app' --change 'ENV PATH=/bin' - "$image" \
    >"$T/import.log" 2>&1 || fail "podman import: $(tail -n 3 "$T/import.log")"

name=shop$$
"$FORMATION" export kubernetes "$T/k8s" --image "$image" --app "$name" \
    -m web=2,worker=0 >"$T/out" 2>"$T/err" ||
	fail "export exited $?: $(cat "$T/err")"
"$FORMATION" export kubernetes "$T/k8s" --image "$image" --app "$name" \
    --oneoff 'sh bin/envdump 7' >"$T/out1" 2>"$T/err1" ||
	fail "export --oneoff exited $?: $(cat "$T/err1")"
pod=$(sed -n "s|^$T/k8s/\($name-v1-run-[0-9]*\)\.yaml\$|\1|p" "$T/out1")
[ -n "$pod" ] || fail "no pod in: $(cat "$T/out1")"
cm="$T/k8s/$name-env-v1.yaml"

play() {	# file
	timeout 90 podman kube play --network none --configmap "$cm" "$1" \
	    >"$T/play.log" 2>&1 ||
		fail "podman kube play $1: $(tail -n 5 "$T/play.log")"
}
play "$T/k8s/$name-web-deployment.yaml"
play "$T/k8s/$pod.yaml"

# Each web pod's first lines: its environment, as its process got it.
logs_of() {	# container
	podman logs "$1" 2>/dev/null
}
for i in 0 1; do
	wait_for "logs_of $name-web-pod-$i-web | grep -q '^PS=web\$'" 60 ||
		fail "web pod $i printed no environment: $(podman ps -a 2>&1)"
done
assert_eq 2 "$(podman ps --format '{{.Names}}' | grep -c "^$name-web-pod-[0-9]*-web\$")" \
    "web containers running"
wait_for "[ \"\$(podman inspect --format '{{.State.Status}}' $pod-run 2>/dev/null)\" = exited ]" 60 ||
	fail "the one-off did not end: $(podman ps -a 2>&1)"
assert_eq 7 "$(podman inspect --format '{{.State.ExitCode}}' "$pod-run")" \
    "the one-off's exit status"

logs_of "$name-web-pod-0-web" >"$T/web.env"
logs_of "$pod-run" >"$T/run.env"
assert_grep '^PORT=5000$' "$T/web.env"
assert_no_grep '^PORT=' "$T/run.env"
number=$(echo "$pod" | sed 's/.*-run-0*//')
assert_grep "^PS=run.$number\$" "$T/run.env"
assert_grep '^FORMATION_RELEASE=v1$' "$T/run.env"
# The values as the env file has them, through the YAML and the engine.
assert_grep '^S=\$HOME \$(x) \$\$ "q" back\\slash #h$' "$T/run.env"
assert_grep '^N=line1$' "$T/run.env"
assert_grep "^line2	tab\$" "$T/run.env"
assert_grep '^U=café € ✓$' "$T/run.env"
assert_grep '^Q=a "quoted" word: yes$' "$T/run.env"
assert_grep '^NUM=0755$' "$T/run.env"
assert_grep '^EMPTY=$' "$T/run.env"
# The rest is the same; the machine's PATH and HOME never came.
same() { grep -v -e '^PS=' -e '^PORT=' -e '^HOSTNAME=' "$1" | sort; }
same "$T/web.env" >"$T/web.same"
same "$T/run.env" >"$T/run.same"
cmp -s "$T/web.same" "$T/run.same" ||
	fail "the one-off's environment differs from web's: $(diff "$T/web.same" "$T/run.same")"
assert_grep '^PATH=/bin$' "$T/run.env"
[ "$(wc -l <"$T/run.same")" -gt 10 ] || fail "too few variables: $(cat "$T/run.same")"
exit 0
