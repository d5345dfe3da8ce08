/*
 * trace_tef.c - a trace as Trace Event Format JSON (the format Perfetto and
 * chrome://tracing open): "M" metadata names the processes (pid = process
 * index + 1) and tracks (tid), "X" complete events are the slices, "C" the
 * counters, "s"/"f" the flows (the "f" binds to the enclosing slice, "bp":"e").
 * Timestamps are µs of simulated time, to the ns.
 */
#include "sim/trace.h"

/* @ns as µs with 3 decimals (exact, no rounding of a double). */
static void tef_us(FILE *f, sim_ns ns)
{
	fprintf(f, "%lld.%03lld", (long long)(ns / 1000), (long long)(ns % 1000));
}

/* The event's head: "ph", "pid", "tid", "ts". */
static void tef_head(FILE *f, const char *ph, const struct trace_track *t, sim_ns ts)
{
	fprintf(f, ",\n{\"ph\":\"%s\",\"pid\":%d,\"tid\":%d,\"ts\":", ph, t->process + 1, t->tid);
	tef_us(f, ts);
}

int trace_write_tef(FILE *f, const struct trace_data *d)
{
	fprintf(f, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"window_us\":[");
	tef_us(f, d->t0);
	fputc(',', f);
	tef_us(f, d->t1);
	fprintf(f, "]},\"traceEvents\":[\n{\"ph\":\"M\",\"pid\":1,\"name\":\"process_labels\","
	           "\"args\":{\"labels\":\"mmsim\"}}");
	/* names are the scenario's: letters, digits, '-', '_', '.', checked by its loader */
	for (unsigned p = 0; p < d->nr_processes; p++)
		fprintf(f,
		        ",\n{\"ph\":\"M\",\"pid\":%u,\"name\":\"process_name\",\"args\":{\"name\":"
		        "\"%s\"}},\n{\"ph\":\"M\",\"pid\":%u,\"name\":\"process_sort_index\","
		        "\"args\":{\"sort_index\":%u}}",
		        p + 1, d->processes[p], p + 1, p + 1);
	for (unsigned i = 0; i < d->nr_tracks; i++) {
		const struct trace_track *t = &d->tracks[i];

		fprintf(f,
		        ",\n{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":\"thread_name\",\"args\":{"
		        "\"name\":\"%s\"}},\n{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"name\":"
		        "\"thread_sort_index\",\"args\":{\"sort_index\":%d}}",
		        t->process + 1, t->tid, t->name, t->process + 1, t->tid, t->tid);
	}
	for (size_t i = 0; i < d->nr_slices; i++) {
		const struct trace_slice *s = &d->slices[i];

		tef_head(f, "X", &d->tracks[s->track], s->start);
		fputs(",\"dur\":", f);
		tef_us(f, s->end - s->start);
		fprintf(f, ",\"name\":\"%s\",\"cat\":\"%s\"", s->name,
		        d->tracks[s->track].kind == TRACK_THREAD ? "thread" : "resource");
		if (s->arg)
			fprintf(f, ",\"args\":{\"site\":\"%s\"}", s->arg);
		fputc('}', f);
	}
	for (size_t i = 0; i < d->nr_counters; i++) {
		const struct trace_counter *c = &d->counters[i];
		const struct trace_track *t = &d->tracks[c->track];

		tef_head(f, "C", t, c->ts);
		fprintf(f, ",\"name\":\"%s %s\",\"args\":{\"value\":%ld}}", t->name, c->name,
		        c->value);
	}
	for (size_t i = 0; i < d->nr_flows; i++) {
		const struct trace_flow *fl = &d->flows[i];

		tef_head(f, "s", &d->tracks[fl->from], fl->ts);
		fprintf(f, ",\"id\":%lld,\"name\":\"wake\",\"cat\":\"wake\"}", fl->id);
		tef_head(f, "f", &d->tracks[fl->to], fl->ts);
		fprintf(f, ",\"id\":%lld,\"name\":\"wake\",\"cat\":\"wake\",\"bp\":\"e\"}", fl->id);
	}
	fputs("\n]}\n", f);
	return ferror(f) ? -1 : 0;
}
