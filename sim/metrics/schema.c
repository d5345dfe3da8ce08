/*
 * schema.c - the metric paths of a point: the metrics the families output
 * for a recorder of the point's shape that recorded nothing. Every path is
 * there whatever happens in a run (zero counts, empty summaries), so the
 * paths follow from the output itself and cannot drift from it.
 */
#include <stdlib.h>

#include "sim/json_path.h"
#include "sim/metrics/schema.h"
#include "sim/output.h"
#include "sim/record.h"
#include "sim/util.h"

json_t *metric_zeroes(const struct scenario *s)
{
	struct recorder_shape shape = output_recorder_shape(s);
	struct recorder rec;
	json_t *m;

	recorder_init(&rec, &shape, 0, 0);
	m = output_metrics(s, &rec, 0);
	recorder_release(&rec);
	return m;
}

char *metric_path_error(const struct scenario *s, const char *path)
{
	json_t *m = metric_zeroes(s), *v = json_dotted_get(m, path);
	const char *first;
	char *err = NULL;

	if (json_is_object(v) && (first = json_object_iter_key(json_object_iter(v))))
		err = xasprintf("'%s' names a group of metrics, not one (e.g. %s.%s)", path, path,
		                first);
	else if (!json_is_number(v))
		err = xasprintf("unknown metric '%s' (expected a number of the results' "
		                "\"metrics\", e.g. threads.%s.ops_per_s)",
		                path, s->procs[0].groups[0].name);
	json_decref(m);
	return err;
}
