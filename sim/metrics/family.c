/* family.c - what the outputs of the metric families share. */
#include <stdlib.h>
#include <string.h>

#include "sim/histfile.h"
#include "sim/metrics/family.h"
#include "sim/util.h"

const char *const lock_mode_names[2] = { "read", "write" };

json_t *summary_json(const struct summary *s)
{
	static const double q[4] = { 0.5, 0.9, 0.99, 0.999 };
	double v[4];
	json_t *o;

	summary_quantiles(s, q, v, 4);
	o = json_pack("{sf sf sf sf sf sf}", "mean", summary_mean(s) / 1e3, "p50", v[0] / 1e3,
	              "p90", v[1] / 1e3, "p99", v[2] / 1e3, "p999", v[3] / 1e3, "max",
	              (double)s->max_ns / 1e3);
	if (histfile_capture) /* moved out into histograms.json by output_point */
		json_object_set_new(o, HISTFILE_KEY, histfile_summary(s));
	return o;
}
