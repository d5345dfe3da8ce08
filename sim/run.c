/*
 * run.c - a run, one way: run_scenario_set calls the stages in order, each
 * calls only what is drawn under it, and none calls back up.
 *
 *   mmsim run, suite (sim/main.c), plan (sim/plan.c): a scenario set loaded,
 *   |   its points expanded (sim/scenario.c)
 *   v
 *   run_scenario_set (sim/run.c): holds OUT, prints the table's header, then
 *   +-> 1. the worker pool (sim/pool.c): forks workers for the replications
 *   |      and MSER-5 pilots of the selected points, skips the complete ones,
 *   |      decides "until", Ctrl-C, the progress line; a point's results.json
 *   |      from its replications' (sim/reps.c)
 *   |      +-> a replication, in a worker (sim/runner.c): builds the world,
 *   |          runs it on the engine (sim/engine.c), writes its results.json
 *   |          (sim/output.c)
 *   +-> 2. the report (sim/report.c): summary.csv, manifest.json, usl.csv
 *          (sim/usl.c), the exit status
 *
 * The pool tells of the points complete, in sweep order, through a listener
 * passed down (struct pool_listener): the table's rows (report_table_row)
 * appear as the points end, without the pool knowing of a table.
 */
#include "sim/outdir.h"
#include "sim/pool.h"
#include "sim/report.h"
#include "sim/run.h"

int run_scenario_set(const struct scenario_set *set, const struct run_options *opt)
{
	struct report_table table = { .out = opt->out, .spec = opt->table };
	struct pool_listener rows = { .point_complete = report_table_row, .arg = &table };
	json_t *origin = outdir_origin(set);
	struct pool_result res;
	int rc = outdir_open(opt->out, origin);

	json_decref(origin);
	if (rc)
		return rc;
	pool_run(set, opt, opt->quiet ? NULL : &rows, &res);
	report_table_end(&table);
	/* csv and json on stdout stay parseable: the USL fit's lines go only to usl.csv */
	rc = report_run(opt->out, set, &res,
	                opt->quiet || (opt->table && opt->table->format != TABLE_TEXT));
	pool_result_release(&res, set->nr_points);
	outdir_close(opt->out);
	return rc;
}
