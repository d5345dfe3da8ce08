/* manifest.c - OUT/manifest.json (see manifest.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/manifest.h"
#include "sim/output.h"
#include "sim/sha256.h"
#include "sim/util.h"

json_t *manifest_new(json_t *scenario)
{
	return json_pack("{sO s[]}", "scenario", scenario, "points");
}

/* The SHA-256 of the resolved parameters (the point id is its first 12 digits). */
static json_t *manifest_parameters_sha256(const struct scenario *s)
{
	char *text = json_dumps(s->resolved, JSON_COMPACT | JSON_SORT_KEYS), sha[65];

	sha256_hex(text, strlen(text), sha);
	free(text);
	return json_string(sha);
}

json_t *manifest_point(const struct scenario *s, const char *status, json_t *seeds, double wall_s,
                       double work_s)
{
	return json_pack("{ss sI sO so sI so ss sf sf ss ss}", "id", s->id, "index",
	                 (json_int_t)s->index, "swept", s->swept, "parameters_sha256",
	                 manifest_parameters_sha256(s), "replications",
	                 (json_int_t)json_array_size(seeds), "seeds", seeds, "status", status,
	                 "wall_s", wall_s, "work_s", work_s, "mmsim_version", MMSIM_VERSION,
	                 "simgrid_version", output_simgrid_version());
}

void manifest_add(json_t *manifest, json_t *entry)
{
	json_array_append_new(json_object_get(manifest, "points"), entry);
}

int manifest_write(const char *out, json_t *manifest)
{
	char *text = json_dumps(manifest, OUTPUT_JSON_FLAGS);
	char *path = xasprintf("%s/manifest.json", out);
	int rc = write_file_atomic(path, text, strlen(text));

	if (rc)
		fprintf(stderr, "mmsim: cannot write %s: %s\n", path, strerror(errno));
	free(text);
	free(path);
	return rc;
}
