/*
 * fuzz_empirical.c - libFuzzer target: the input is an empirical
 * distribution's file, read for the disk's service time and a think time
 * (two parameters, two ranges) of the smallest scenario that has them: the
 * rest of a scenario's checks would only slow the runs down.
 */
#include "tests/fuzz/fuzz.h"

static const char base_json[] =
        "{ \"duration_s\": 1, \"kernel\": \"2.6.37\",\n"
        "  \"disk\": { \"service_ms\": { \"dist\": \"empirical\", \"file\": \"samples.txt\" } },\n"
        "  \"processes\": [ { \"name\": \"P\", \"threads\": [ { \"name\": \"A\", \"loop\": [\n"
        "    { \"op\": \"think\", \"time_us\": { \"dist\": \"empirical\", \"file\": "
        "\"samples.txt\" } }\n"
        "  ] } ] } ] }\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *base;

	if (!base)
		base = fuzz_write("base.json", base_json, sizeof(base_json) - 1);
	fuzz_write("samples.txt", data, size);
	fuzz_load(base, NULL, 0);
	return 0;
}
