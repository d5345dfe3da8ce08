/*
 * results.h - a point's (or a replication's) results.json: sealed with a
 * checksum when written, verified before it is trusted.
 *
 * The top-level key "content_sha256" holds the SHA-256 of the rest of the
 * object written as compact JSON with sorted keys and the file's precision
 * of reals, so it survives any reformatting but no change of a value. A
 * file counts as results only if it parses, names its own point and its
 * checksum holds; anything else is rerun (run) or skipped (merge) with a
 * warning that names it.
 */
#ifndef SIM_RESULTS_H
#define SIM_RESULTS_H

#include <jansson.h>

#define RESULTS_CHECKSUM_KEY "content_sha256"

/* Seals @root (adds its checksum) and writes @dir/results.json durably; 0 or -1 (errno). */
int results_write(const char *dir, json_t *root);

/*
 * The results at @path of point @id (NULL: any point), or NULL with *@why
 * (a new string) saying what is wrong with them; *@why is NULL too when
 * there is no file at all.
 */
json_t *results_load(const char *path, const char *id, char **why);

/*
 * results_load() of OUT/points/ID/results.json, whose folder must be a folder
 * (not a link); a damaged one: a warning on stderr naming it, ending with
 * @then (what follows for the point, e.g. "point skipped"; NULL: nothing).
 */
json_t *results_load_point(const char *out, const char *id, const char *then);

/*
 * Calls @fn(@ctx, ID) for each entry ID of OUT/points (dot files skipped), in
 * the folder's order, until it returns nonzero. -1 if OUT/points cannot be
 * opened, else @fn's last return (0 when it never stopped).
 */
int results_each_point(const char *out, int (*fn)(void *ctx, const char *id), void *ctx);

#endif
