# The layout rules that keep the code easy to change: models/ reaches the
# engine only through models/env.h (no sim/ header), and never parses JSON or
# prints (no jansson, no stdio output): sim/ owns input and output. The run
# pipeline goes one way.
. tests/lib.sh
bad=$(grep -n '#include "sim/' models/*.[ch])
if [ -z "$bad" ]; then ok models-include-no-sim-header; else fail models-include-no-sim-header "$bad"; fi
bad=$(grep -nE '#include <jansson.h>|json_[a-z]+\(|[^a-z_](f|v|vf|d)?printf\(|[^a-z_]f?puts\(|stdout|stderr' models/*.[ch])
if [ -z "$bad" ]; then ok models-neither-json-nor-print; else fail models-neither-json-nor-print "$bad"; fi
# A run flows one way (sim/run.c): the worker pool, the runner of one point and
# its output never include the stages above them (the run entry, the report).
bad=$(grep -nE '#include "sim/(run|report)\.h"' sim/pool.[ch] sim/runner.[ch] sim/output.[ch])
if [ -z "$bad" ]; then ok pipeline-no-include-up; else fail pipeline-no-include-up "$bad"; fi
