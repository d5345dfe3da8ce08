/*
 * check.c - the properties of one run's results, for tests/cli/property.sh.
 *
 *   prop-check RESULTS.json...
 *
 * Prints one line per violated property, "PROPERTY FILE: what", and exits 1
 * if there was any (property "format": a file unreadable or without a
 * number the checks need). A file of a point's means
 * over replications ("metrics_ci") is skipped: the properties hold per run,
 * and its replications' own files are checked.
 *
 * Properties (T the window, duration_s - W, W the warm-up):
 *  flow    holders_start + acquisitions = releases + holders_end, per mode;
 *          the call sites' and the processes' acquisitions add up to the
 *          totals.
 *  little  Little's law L = lambda W, to within the work in progress at the
 *          window's edges, exactly: a task waiting (holding, in the device)
 *          at the end adds at most T to the area and nothing to the sum of
 *          the waits; one waiting at the warm-up's end adds to the sum at most
 *          the W it waited before. So
 *              -level_start * W / T <= L - lambda_W <= level_end,
 *          the same for the utilisation law with at most one request in
 *          service (a device) and the holders of the write lock. Slack 1e-8
 *          relative: the values are printed to 9 digits.
 *  summary every summary is ordered: 0 <= p50 <= p90 <= p99 <= p999 and
 *          0 <= mean, quantiles within the histogram's 1/128 of max.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

static int violations;

static void violation(const char *prop, const char *file, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void violation(const char *prop, const char *file, const char *fmt, ...)
{
	va_list ap;

	printf("%s %s: ", prop, file);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	violations++;
}

/* The number at dotted @path under @root, NAN if absent (reported by the caller). */
static double num(json_t *root, const char *path)
{
	char buf[256], *save = NULL, *key;
	json_t *cur = root;

	snprintf(buf, sizeof(buf), "%s", path);
	for (key = strtok_r(buf, ".", &save); key && cur; key = strtok_r(NULL, ".", &save))
		cur = json_object_get(cur, key);
	return json_is_number(cur) ? json_number_value(cur) : NAN;
}

static double need(const char *file, json_t *root, const char *path)
{
	double v = num(root, path);

	if (isnan(v))
		violation("format", file, "no number at %s", path);
	return v;
}

static void check_flow(const char *file, json_t *m)
{
	static const char *const modes[2] = { "read", "write" };

	for (int i = 0; i < 2; i++) {
		char p[4][128];
		double v[4], sites = 0, procs = 0;
		const char *key;
		json_t *o;

		snprintf(p[0], sizeof(p[0]), "checks.flow.mmap_sem.%s.holders_start", modes[i]);
		snprintf(p[1], sizeof(p[1]), "checks.flow.mmap_sem.%s.acquisitions", modes[i]);
		snprintf(p[2], sizeof(p[2]), "checks.flow.mmap_sem.%s.releases", modes[i]);
		snprintf(p[3], sizeof(p[3]), "checks.flow.mmap_sem.%s.holders_end", modes[i]);
		for (int k = 0; k < 4; k++)
			v[k] = need(file, m, p[k]);
		if (!(v[0] + v[1] == v[2] + v[3]) || v[0] < 0 || v[3] < 0)
			violation("flow", file,
			          "%s: holders_start %.0f + acquisitions %.0f != releases %.0f + "
			          "holders_end %.0f",
			          modes[i], v[0], v[1], v[2], v[3]);
		snprintf(p[0], sizeof(p[0]), "mmap_sem.%s.acquisitions", modes[i]);
		if (need(file, m, p[0]) != v[1])
			violation("flow", file,
			          "%s: mmap_sem.%s.acquisitions %.0f, the flow's %.0f", modes[i],
			          modes[i], num(m, p[0]), v[1]);
		json_object_foreach (
		        json_object_get(json_object_get(json_object_get(m, "mmap_sem"), modes[i]),
		                        "by_site"),
		        key, o)
			sites += num(o, "acquisitions");
		json_object_foreach (json_object_get(m, "processes"), key, o) {
			snprintf(p[1], sizeof(p[1]), "mmap_sem.%s.acquisitions", modes[i]);
			procs += num(o, p[1]);
		}
		if (sites != v[1] || procs != v[1])
			violation("flow", file,
			          "%s: acquisitions %.0f, by site %.0f, by process %.0f", modes[i],
			          v[1], sites, procs);
	}
}

/* @lhs - @rhs in [-start * W / T, end], with slack for the 9 printed digits. */
static void check_law(const char *file, const char *law, double lhs, double rhs, double start,
                      double end, double w_over_t)
{
	double d = lhs - rhs, eps = 1e-8 * fmax(1, fmax(fabs(lhs), fabs(rhs)));

	if (isnan(d) || d < -start * w_over_t - eps || d > end + eps)
		violation("little", file,
		          "%s: %.9g - %.9g = %.3g outside [-%g * %.4g, %g] (levels at the window's "
		          "start, end)",
		          law, lhs, rhs, d, start, w_over_t, end);
}

static void check_little(const char *file, json_t *root, json_t *m)
{
	static const char *const dev[] = { "disk", "swap_device" };
	json_t *wu = json_object_get(root, "warmup");
	double dur = need(file, root, "parameters.duration_s");
	double w = json_object_get(wu, "detected_s") ? need(file, wu, "detected_s")
	                                             : need(file, wu, "warmup_s");
	double wt = w / (dur - w);
	char a[128], b[128], c[128], e[128];

	check_law(file, "mmap_sem_waiting", need(file, m, "checks.little.mmap_sem_waiting.L"),
	          need(file, m, "checks.little.mmap_sem_waiting.lambda_W"),
	          need(file, m, "checks.saturation.mmap_sem.level_start"),
	          need(file, m, "checks.saturation.mmap_sem.level_end"), wt);
	check_law(file, "mmap_sem_readers", need(file, m, "checks.little.mmap_sem_readers.L"),
	          need(file, m, "checks.little.mmap_sem_readers.lambda_W"),
	          need(file, m, "checks.flow.mmap_sem.read.holders_start"),
	          need(file, m, "checks.flow.mmap_sem.read.holders_end"), wt);
	check_law(file, "mmap_sem_write utilisation",
	          need(file, m, "checks.utilization.mmap_sem_write.U"),
	          need(file, m, "checks.utilization.mmap_sem_write.X_S"),
	          need(file, m, "checks.flow.mmap_sem.write.holders_start"),
	          need(file, m, "checks.flow.mmap_sem.write.holders_end"), wt);
	for (int i = 0; i < 2; i++) {
		double start, end;

		snprintf(a, sizeof(a), "checks.little.%s.L", dev[i]);
		snprintf(b, sizeof(b), "checks.little.%s.lambda_W", dev[i]);
		snprintf(c, sizeof(c), "checks.saturation.%s.level_start", dev[i]);
		snprintf(e, sizeof(e), "checks.saturation.%s.level_end", dev[i]);
		start = need(file, m, c);
		end = need(file, m, e);
		check_law(file, dev[i], need(file, m, a), need(file, m, b), start, end, wt);
		snprintf(a, sizeof(a), "checks.utilization.%s.U", dev[i]);
		snprintf(b, sizeof(b), "checks.utilization.%s.X_S", dev[i]);
		/* one request in service at a time */
		check_law(file, dev[i], need(file, m, a), need(file, m, b), fmin(start, 1),
		          fmin(end, 1), wt);
	}
}

/* Every summary object ({mean, p50, ..., max}) under @o, recursively. */
static void check_summaries(const char *file, const char *path, json_t *o)
{
	static const char *const q[] = { "p50", "p90", "p99", "p999" };
	const char *key;
	json_t *v;

	if (json_object_get(o, "p50") && json_object_get(o, "max")) {
		double max = num(o, "max"), prev = 0, mean = num(o, "mean");

		for (int i = 0; i < 4; i++) {
			double x = num(o, q[i]);

			if (!(x >= prev && x <= max * (1 + 1.0 / 128) + 1e-9))
				violation("summary", file, "%s: %s %.9g after %.9g, max %.9g", path,
				          q[i], x, prev, max);
			prev = x;
		}
		if (!(mean >= 0 && mean <= max * (1 + 1e-8)))
			violation("summary", file, "%s: mean %.9g, max %.9g", path, mean, max);
		return;
	}
	json_object_foreach (o, key, v) {
		char sub[512];

		if (json_is_number(v) && !isfinite(json_number_value(v)))
			violation("summary", file, "%s.%s is not finite", path, key);
		if (!json_is_object(v))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", key);
		check_summaries(file, sub, v);
	}
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		json_error_t err;
		json_t *root = json_load_file(argv[i], 0, &err), *m;

		if (!root) {
			violation("format", argv[i], "%s", err.text);
			continue;
		}
		m = json_object_get(root, "metrics");
		if (!json_object_get(root, "metrics_ci")) {
			check_flow(argv[i], m);
			check_little(argv[i], root, m);
			check_summaries(argv[i], "", m);
		}
		json_decref(root);
	}
	return violations ? 1 : 0;
}
