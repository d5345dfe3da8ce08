/* probe_command.h - the command `mmsim probe` (sim/probe.c). */
#ifndef SIM_PROBE_COMMAND_H
#define SIM_PROBE_COMMAND_H

#include "sim/cli.h"

extern const struct cli_command probe_command;

#endif
