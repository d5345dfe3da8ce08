/*
 * json_path.h - paths into JSON trees.
 *
 * Parameter paths, as --set, --vary and the sweep axes write them:
 * "disk.service_ms", "processes[0].threads[1].count", or
 * "threads.B.loop[1].hold_us", where an array's element is found by its
 * index or by its "name" and "threads.G" is the group G of any process. A
 * leading '.' is allowed, so the jq paths of the error messages can be
 * pasted. Dotted paths ("mmap_sem.read.wait_us.p99") name the values of
 * nested objects, as in results.json.
 */
#ifndef SIM_JSON_PATH_H
#define SIM_JSON_PATH_H

#include <jansson.h>

/*
 * Sets parameter @path in @root to @value (stolen), creating objects on the
 * way; 0, or -1 with *@error saying why (new string).
 */
int json_path_set(json_t *root, const char *path, json_t *value, char **error);

/* The value at parameter @path in @root (e.g. a point's resolved parameters; borrowed), or NULL. */
json_t *json_path_get(json_t *root, const char *path);

/* The value at a dotted path of a nested object (borrowed), or NULL. */
json_t *json_dotted_get(json_t *root, const char *path);
/* Sets @v (stolen) at a dotted path of @root, making the objects on the way. */
void json_dotted_set(json_t *root, const char *path, json_t *v);

#endif
