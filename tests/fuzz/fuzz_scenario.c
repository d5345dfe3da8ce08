/*
 * fuzz_scenario.c - libFuzzer target: the input is a scenario file, loaded
 * as 'mmsim validate' loads it (parse, sweep expansion, every point checked).
 * An empirical file "samples.txt" sits beside it, so that inputs naming it
 * get past the file's absence.
 */
#include <stdbool.h>

#include "tests/fuzz/fuzz.h"

static const char samples[] = "# service times\n1\n2.5\n\n10\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;

	if (!ready) {
		fuzz_write("samples.txt", samples, sizeof(samples) - 1);
		ready = true;
	}
	fuzz_load(fuzz_write("scenario.json", data, size), NULL, 0);
	return 0;
}
