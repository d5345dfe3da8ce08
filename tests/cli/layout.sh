# The layout rules that keep the code easy to change: models/ reaches the
# engine only through models/env.h (no sim/ header), and never parses JSON or
# prints (no jansson, no stdio output): sim/ owns input and output.
. tests/lib.sh
bad=$(grep -n '#include "sim/' models/*.[ch])
if [ -z "$bad" ]; then ok models-include-no-sim-header; else fail models-include-no-sim-header "$bad"; fi
bad=$(grep -nE '#include <jansson.h>|json_[a-z]+\(|[^a-z_](f|v|vf|d)?printf\(|[^a-z_]f?puts\(|stdout|stderr' models/*.[ch])
if [ -z "$bad" ]; then ok models-neither-json-nor-print; else fail models-neither-json-nor-print "$bad"; fi
