/* probe_experiment.c - the seed-000 experiment on the running kernel (see probe.h). */
#include <stdlib.h>

#include "sim/probe.h"
#include "sim/util.h"

json_t *probe_experiment_seed000(const struct probe_options *o, char **why)
{
	(void)o;
	*why = xstrdup("not built yet");
	return NULL;
}
