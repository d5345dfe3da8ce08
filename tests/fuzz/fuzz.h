/*
 * fuzz.h - what the libFuzzer targets of tests/fuzz share: a private
 * folder for the files the loader reads (it reads paths, not buffers, and
 * resolves an empirical file relative to the scenario's folder), and one
 * load of a scenario with nothing left allocated afterwards.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "sim/scenario.h"

/* libFuzzer's entry point, defined by each target. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes @size bytes to @name in the private folder; returns its path (static storage per name). */
const char *fuzz_write(const char *name, const void *data, size_t size);

/* scenario_load() of @path with @ov, then the set released: the leak checker sees a clean slate. */
void fuzz_load(const char *path, const struct override *ov, unsigned nr_ov);

#endif
