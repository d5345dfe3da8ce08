/*
 * trace_paje.c - a trace as a Paje trace file (ViTE, PajeNG): the %EventDef
 * header, then the type hierarchy (a container per process, in it one per
 * thread, its mmap_sem and, in "devices", one per device lane), then the
 * events in time order: slices as PushState/PopState (they nest), counters
 * as SetVariable, wake-ups as StartLink/EndLink. Times are seconds.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/trace.h"
#include "sim/util.h"

static const char paje_header[] = "%EventDef PajeDefineContainerType 0\n"
                                  "%  Alias string\n%  Type string\n%  Name string\n"
                                  "%EndEventDef\n"
                                  "%EventDef PajeDefineVariableType 1\n"
                                  "%  Alias string\n%  Type string\n%  Name string\n"
                                  "%  Color color\n%EndEventDef\n"
                                  "%EventDef PajeDefineStateType 2\n"
                                  "%  Alias string\n%  Type string\n%  Name string\n"
                                  "%EndEventDef\n"
                                  "%EventDef PajeDefineEventType 3\n"
                                  "%  Alias string\n%  Type string\n%  Name string\n"
                                  "%EndEventDef\n"
                                  "%EventDef PajeDefineLinkType 4\n"
                                  "%  Alias string\n%  Type string\n"
                                  "%  StartContainerType string\n%  EndContainerType string\n"
                                  "%  Name string\n%EndEventDef\n"
                                  "%EventDef PajeDefineEntityValue 5\n"
                                  "%  Alias string\n%  Type string\n%  Name string\n"
                                  "%  Color color\n%EndEventDef\n"
                                  "%EventDef PajeCreateContainer 6\n"
                                  "%  Time date\n%  Alias string\n%  Type string\n"
                                  "%  Container string\n%  Name string\n%EndEventDef\n"
                                  "%EventDef PajeDestroyContainer 7\n"
                                  "%  Time date\n%  Type string\n%  Name string\n"
                                  "%EndEventDef\n"
                                  "%EventDef PajeSetVariable 8\n"
                                  "%  Time date\n%  Type string\n%  Container string\n"
                                  "%  Value double\n%EndEventDef\n"
                                  "%EventDef PajeSetState 10\n"
                                  "%  Time date\n%  Type string\n%  Container string\n"
                                  "%  Value string\n%EndEventDef\n"
                                  "%EventDef PajePushState 11\n"
                                  "%  Time date\n%  Type string\n%  Container string\n"
                                  "%  Value string\n%EndEventDef\n"
                                  "%EventDef PajePopState 12\n"
                                  "%  Time date\n%  Type string\n%  Container string\n"
                                  "%EndEventDef\n"
                                  "%EventDef PajeNewEvent 13\n"
                                  "%  Time date\n%  Type string\n%  Container string\n"
                                  "%  Value string\n%EndEventDef\n"
                                  "%EventDef PajeStartLink 14\n"
                                  "%  Time date\n%  Type string\n%  Container string\n"
                                  "%  Value string\n%  StartContainer string\n%  Key string\n"
                                  "%EndEventDef\n"
                                  "%EventDef PajeEndLink 15\n"
                                  "%  Time date\n%  Type string\n%  Container string\n"
                                  "%  Value string\n%  EndContainer string\n%  Key string\n"
                                  "%EndEventDef\n";

/* The types: a container type per track kind, its state type, the lock's variables. */
static const char paje_types[] =
        "0 P 0 Process\n0 T P Thread\n0 L P Lock\n0 D P Device\n"
        "2 ST T \"thread state\"\n2 SL L \"lock state\"\n2 SD D \"device state\"\n"
        "1 VH L \"readers holding\" \"0 0.6 0\"\n1 VW L \"writers waiting\" \"0.9 0 0\"\n"
        "1 VR L \"readers waiting\" \"0.9 0.6 0\"\n1 VQ D \"queue length\" \"0 0 0.9\"\n"
        "4 W 0 T T wake\n";

/* The colours of the states ViTE draws (r g b in [0, 1]). */
static const struct {
	const char *type, *name, *color;
} paje_values[] = {
	{ "ST", "op", "0.85 0.85 0.85" },       { "ST", "major fault", "0.6 0.75 0.95" },
	{ "ST", "minor fault", "0.75 0.85 1" }, { "ST", "wait read", "1 0.7 0.2" },
	{ "ST", "wait write", "0.9 0.1 0.1" },  { "ST", "hold read", "0.2 0.7 0.2" },
	{ "ST", "hold write", "0.5 0.1 0.6" },  { "ST", "page wait", "0.1 0.2 0.6" },
	{ "SL", "read held", "0.2 0.7 0.2" },   { "SL", "write held", "0.5 0.1 0.6" },
	{ "SD", "service", "0.1 0.2 0.6" },
};

/* An event of the file, sorted by time, then .order (pops before pushes), then .index. */
struct paje_event {
	sim_ns ts;
	int order;
	size_t index;
};

enum { PAJE_POP, PAJE_PUSH, PAJE_VARIABLE, PAJE_START_LINK, PAJE_END_LINK };

static int paje_by_time(const void *a, const void *b)
{
	const struct paje_event *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->order != y->order)
		return x->order - y->order;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void paje_time(FILE *f, int event, sim_ns ts)
{
	fprintf(f, "%d %lld.%09lld", event, (long long)(ts / 1000000000),
	        (long long)(ts % 1000000000));
}

static const char *paje_state_type(const struct trace_track *t)
{
	return t->kind == TRACK_THREAD ? "ST" : t->kind == TRACK_LOCK ? "SL" : "SD";
}

static const char *paje_variable_type(const char *name)
{
	return strcmp(name, "readers holding") == 0   ? "VH"
	       : strcmp(name, "writers waiting") == 0 ? "VW"
	       : strcmp(name, "readers waiting") == 0 ? "VR"
	                                              : "VQ";
}

static void paje_event(FILE *f, const struct trace_data *d, const struct paje_event *e)
{
	const struct trace_slice *s;
	const struct trace_counter *c;
	const struct trace_flow *fl;

	switch (e->order) {
	case PAJE_POP:
		s = &d->slices[e->index];
		paje_time(f, 12, e->ts);
		fprintf(f, " %s t%d\n", paje_state_type(&d->tracks[s->track]), s->track);
		break;
	case PAJE_PUSH:
		s = &d->slices[e->index];
		paje_time(f, 11, e->ts);
		fprintf(f, " %s t%d \"%s\"\n", paje_state_type(&d->tracks[s->track]), s->track,
		        s->name);
		break;
	case PAJE_VARIABLE:
		c = &d->counters[e->index];
		paje_time(f, 8, e->ts);
		fprintf(f, " %s t%d %ld\n", paje_variable_type(c->name), c->track, c->value);
		break;
	case PAJE_START_LINK:
		fl = &d->flows[e->index];
		paje_time(f, 14, e->ts);
		fprintf(f, " W 0 wake t%d w%lld\n", fl->from, fl->id);
		break;
	default:
		fl = &d->flows[e->index];
		paje_time(f, 15, e->ts);
		fprintf(f, " W 0 wake t%d w%lld\n", fl->to, fl->id);
		break;
	}
}

int trace_write_paje(FILE *f, const struct trace_data *d)
{
	size_t n = 0, cap = 2 * d->nr_slices + d->nr_counters + 2 * d->nr_flows + 1;
	struct paje_event *ev = xmalloc(cap * sizeof(*ev));

	fputs(paje_header, f);
	fputs(paje_types, f);
	for (size_t i = 0; i < sizeof(paje_values) / sizeof(paje_values[0]); i++)
		fprintf(f, "5 \"%s\" %s \"%s\" \"%s\"\n", paje_values[i].name, paje_values[i].type,
		        paje_values[i].name, paje_values[i].color);
	for (unsigned p = 0; p < d->nr_processes; p++) {
		paje_time(f, 6, d->t0);
		fprintf(f, " p%u P 0 \"%s\"\n", p, d->processes[p]);
	}
	for (unsigned i = 0; i < d->nr_tracks; i++) {
		const struct trace_track *t = &d->tracks[i];

		paje_time(f, 6, d->t0);
		fprintf(f, " t%u %s p%d \"%s\"\n", i,
		        t->kind == TRACK_THREAD ? "T"
		        : t->kind == TRACK_LOCK ? "L"
		                                : "D",
		        t->process, t->name);
	}
	/* a slice of no length shows nothing, and its pop would come before its push */
	for (size_t i = 0; i < d->nr_slices; i++) {
		if (d->slices[i].end <= d->slices[i].start)
			continue;
		ev[n++] = (struct paje_event){ d->slices[i].start, PAJE_PUSH, i };
		ev[n++] = (struct paje_event){ d->slices[i].end, PAJE_POP, i };
	}
	for (size_t i = 0; i < d->nr_counters; i++)
		ev[n++] = (struct paje_event){ d->counters[i].ts, PAJE_VARIABLE, i };
	for (size_t i = 0; i < d->nr_flows; i++) {
		ev[n++] = (struct paje_event){ d->flows[i].ts, PAJE_START_LINK, i };
		ev[n++] = (struct paje_event){ d->flows[i].ts, PAJE_END_LINK, i };
	}
	sort_items(ev, n, sizeof(*ev), paje_by_time);
	for (size_t i = 0; i < n; i++)
		paje_event(f, d, &ev[i]);
	for (unsigned i = d->nr_tracks; i-- > 0;) {
		paje_time(f, 7, d->t1);
		fprintf(f, " %s t%u\n",
		        d->tracks[i].kind == TRACK_THREAD ? "T"
		        : d->tracks[i].kind == TRACK_LOCK ? "L"
		                                          : "D",
		        i);
	}
	free(ev);
	return ferror(f) ? -1 : 0;
}
