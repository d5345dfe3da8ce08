# Seed 002 on scenarios/seed-002-kvm-apf.json at a swapped fraction of 0.01
# and a 10 ms swap device, where the swap-ins leave the device some slack:
# with async page faults (2.6.39) the vCPUs run other guest tasks during the
# reads, so guest ops/s and vCPU utilisation are higher than with the
# synchronous fault (2.6.37, the vCPU blocked for each read); the kworker
# completes every async PF it was given (page ready), and 2.6.37 injects none.
. tests/lib.sh
# 3 s under sanitizers too: a 1 s window (duration 2) does not separate the
# kernels (5 replications: 16535 [14580, 18490] vs 18088 [14567, 21609] ops/s).
dur=3
"$MMSIM" run scenarios/seed-002-kvm-apf.json --set duration_s=$dur \
	--set 'processes[0].mappings[0].swapped_fraction=0.01' --set swap.service_ms.mean=10 \
	--quiet --out "$TMP/s2" 2> "$TMP/s2.err" ||
	{ fail seed002-runs "$(cat "$TMP/s2.err")"; exit 0; }
csv_cols "$TMP/s2/summary.csv" kernel kvm.guest_ops_per_s kvm.vcpu_utilization kvm.apf_injected \
	kvm.apf_ready > "$TMP/s2.t"
get() { awk -F, -v k="\"$1\"" -v c="$2" '$1 == k || $1 == substr(k, 2, length(k) - 2) { print $c }' "$TMP/s2.t"; }
check_awk apf-more-guest-ops "$(get 2.6.39 2) > 1.1 * $(get 2.6.37 2)"
check_awk apf-higher-vcpu-utilization "$(get 2.6.39 3) > 1.1 * $(get 2.6.37 3)"
check_awk no-apf-injects-none "$(get 2.6.37 4) == 0 && $(get 2.6.37 5) == 0"
check_awk apf-injects "$(get 2.6.39 4) > 50"
check_awk apf-ready-follows-injected "$(get 2.6.39 5) >= $(get 2.6.39 4) - 16 && $(get 2.6.39 5) <= $(get 2.6.39 4) + 16"
