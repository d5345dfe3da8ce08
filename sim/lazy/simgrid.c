/*
 * lazy/simgrid.c - SimGrid loaded at the first call of one of its functions.
 *
 * Why: loading libsimgrid and the ns-3 libraries it depends on (relocations,
 * static constructors) costs about 45 ms at every start, and most runs never
 * call SimGrid (the direct-switch engine runs the tasks itself). mmsim links
 * this file instead of -lsimgrid (see the Makefile); the unit tests link the
 * library itself. Each function mmsim uses is defined here with SimGrid's own
 * declaration and forwards to the library's, looked up once.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/exec.h>
#include <simgrid/host.h>
#include <simgrid/semaphore.h>
#include <simgrid/version.h>
#include <xbt/config.h>
#include <xbt/log.h>

#define LAZY_STR_(x) #x
#define LAZY_STR(x) LAZY_STR_(x)
/* The soname of the library built against: its major and minor version (Debian: libsimgrid.so.3.32). */
#define SIMGRID_SONAME                                                                             \
	"libsimgrid.so." LAZY_STR(SIMGRID_VERSION_MAJOR) "." LAZY_STR(SIMGRID_VERSION_MINOR)

static void *simgrid_symbol(const char *name)
{
	static void *lib;
	void *f;

	if (!lib)
		lib = dlopen(SIMGRID_SONAME, RTLD_NOW | RTLD_GLOBAL);
	f = lib ? dlsym(lib, name) : NULL;
	if (!f) {
		/* only runs with SimGrid actors get here: say which, and what to install */
		fprintf(stderr,
		        "mmsim: cannot load SimGrid (%s): %s\n"
		        "mmsim: this run needs it (machine.cpus set, --no-lookahead, "
		        "MMSIM_ENGINE_ACTORS=1, or not x86-64): "
		        "install SimGrid %d.%d (Debian: libsimgrid%d.%d)\n",
		        SIMGRID_SONAME, dlerror(), SIMGRID_VERSION_MAJOR, SIMGRID_VERSION_MINOR,
		        SIMGRID_VERSION_MAJOR, SIMGRID_VERSION_MINOR);
		exit(1);
	}
	return f;
}

/* NAME(PARAMS) returning a value, and NAME(PARAMS) returning nothing: forward ARGS. */
#define LAZY(ret, name, params, args)                                                              \
	ret name params                                                                            \
	{                                                                                          \
		static __typeof__(name) *f;                                                        \
		if (!f)                                                                            \
			f = (__typeof__(name) *)simgrid_symbol(#name);                             \
		return f args;                                                                     \
	}
#define LAZY_VOID(name, params, args)                                                              \
	void name params                                                                           \
	{                                                                                          \
		static __typeof__(name) *f;                                                        \
		if (!f)                                                                            \
			f = (__typeof__(name) *)simgrid_symbol(#name);                             \
		f args;                                                                            \
	}

/* SimGrid declares a few functions with () rather than (void): no prototype to precede them */
#pragma GCC diagnostic ignored "-Wmissing-prototypes"

LAZY(sg_exec_t, sg_actor_exec_async, (double amount), (amount))
LAZY_VOID(sg_actor_execute, (double flops), (flops))
LAZY(sg_actor_t, sg_actor_init, (const char *name, sg_host_t host), (name, host))
LAZY_VOID(sg_actor_resume, (sg_actor_t actor), (actor))
LAZY(void *, sg_actor_self_get_data, (void), ())
LAZY_VOID(sg_actor_set_data, (sg_actor_t actor, void *data), (actor, data))
LAZY_VOID(sg_actor_sleep_until, (double wakeup_time), (wakeup_time))
LAZY_VOID(sg_actor_start_,
          (sg_actor_t actor, xbt_main_func_t code, int argc, const char *const *argv),
          (actor, code, argc, argv))
LAZY_VOID(sg_actor_suspend, (sg_actor_t actor), (actor))
LAZY_VOID(sg_cfg_set_double, (const char *name, double val), (name, val))
LAZY_VOID(sg_cfg_set_int, (const char *name, int val), (name, val))
LAZY_VOID(sg_exec_cancel, (sg_exec_t exec), (exec))
LAZY(sg_host_t, sg_host_by_name, (const char *name), (name))
LAZY_VOID(sg_sem_acquire, (sg_sem_t sem), (sem))
LAZY(int, sg_sem_acquire_timeout, (sg_sem_t sem, double timeout), (sem, timeout))
LAZY_VOID(sg_sem_destroy, (const_sg_sem_t sem), (sem))
LAZY(sg_sem_t, sg_sem_init, (int initial_value), (initial_value))
LAZY_VOID(sg_sem_release, (sg_sem_t sem), (sem))
LAZY(double, simgrid_get_clock, (void), ())
LAZY_VOID(simgrid_init, (int *argc, char **argv), (argc, argv))
LAZY_VOID(simgrid_load_platform, (const char *filename), (filename))
LAZY_VOID(simgrid_run, (void), ())
LAZY_VOID(xbt_log_control_set, (const char *cs), (cs))

/*
 * The version for the manifest, without loading the library: that of the
 * headers built against, which the soname pins to the same major and minor.
 */
void sg_version_get(int *major, int *minor, int *patch)
{
	*major = SIMGRID_VERSION_MAJOR;
	*minor = SIMGRID_VERSION_MINOR;
	*patch = SIMGRID_VERSION_PATCH;
}
