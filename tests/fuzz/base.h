/*
 * base.h - the scenario the --set and empirical targets load: small, but
 * with every section a path can reach (a cgroup, two processes, mappings,
 * several ops, a sweep), so that overrides land on real keys. Its empirical
 * distributions read "samples.txt" beside it.
 */
#ifndef TESTS_FUZZ_BASE_H
#define TESTS_FUZZ_BASE_H

static const char fuzz_base[] =
        "{\n"
        "  \"name\": \"fuzz\", \"duration_s\": 1, \"warmup_s\": 0.1, \"seed\": 1,\n"
        "  \"kernel\": \"2.6.39\",\n"
        "  \"machine\": { \"wakeup_us\": { \"dist\": \"lognormal\", \"mean\": 20, \"sd\": 10 } },\n"
        "  \"disk\": { \"scheduler\": \"fifo\",\n"
        "            \"service_ms\": { \"dist\": \"empirical\", \"file\": \"samples.txt\" } },\n"
        "  \"cgroups\": [ { \"name\": \"build\", \"limit_mb\": 64, \"usage_mb\": 48,\n"
        "                 \"reclaimable_mb\": 4, \"oom_kill_disable\": true } ],\n"
        "  \"processes\": [\n"
        "    { \"name\": \"cc\", \"count\": 2, \"cgroup\": \"build\",\n"
        "      \"mappings\": [ { \"name\": \"ld\", \"file\": \"ld-so\", \"type\": \"file\", "
        "\"size_mb\": 0.0625,\n"
        "                      \"cached_fraction\": 1, \"private\": true },\n"
        "                    { \"name\": \"heap\", \"type\": \"anon\", \"size_mb\": 64 } ],\n"
        "      \"threads\": [ { \"name\": \"cc\", \"loop\": [\n"
        "        { \"op\": \"think\", \"time_us\": { \"dist\": \"empirical\", \"file\": "
        "\"samples.txt\" } },\n"
        "        { \"op\": \"fault\", \"mapping\": \"ld\", \"access\": \"write\", \"pattern\": "
        "\"sequential\", \"pages\": 16 },\n"
        "        { \"op\": \"mmap\", \"hold_us\": 30 },\n"
        "        { \"op\": \"exit\", \"cpu_us\": 200 } ] } ] },\n"
        "    { \"name\": \"P\",\n"
        "      \"mappings\": [ { \"name\": \"data\", \"type\": \"file\", \"size_mb\": 16, "
        "\"cached_fraction\": 0 } ],\n"
        "      \"threads\": [ { \"name\": \"A\", \"count\": 2, \"loop\": [\n"
        "        { \"op\": \"fault\", \"mapping\": \"data\", \"pattern\": \"uncached\" },\n"
        "        { \"op\": \"sleep\", \"time_us\": { \"dist\": \"exp\", \"mean\": 2000 } } ] } ] "
        "}\n"
        "  ],\n"
        "  \"sweep\": { \"kernel\": [\"2.6.39\", \"3.0\"] }\n"
        "}\n";

#endif
