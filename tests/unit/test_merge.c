/*
 * test_merge.c - mmsim merge on folders made here: the same point with other
 * (sealed, valid) results in two folders is refused (exit 2), as another
 * mmsim or SimGrid version would make them; with the same results it merges.
 */
#include <stdlib.h>

#include "sim/merge.h"
#include "sim/results.h"
#include "sim/util.h"
#include "tests/unit/harness.h"

static char top[] = "/tmp/mmsim-test-merge-XXXXXX";

/* DIR/points/0123456789ab/results.json with metric a = @a; DIR (new string). */
static char *folder(const char *name, int a)
{
	char *dir = xasprintf("%s/%s", top, name), *pt = xasprintf("%s/points/0123456789ab", dir);
	json_t *r = json_pack("{s{ss si s{}} s{ss ss s[]} s{si}}", "point", "id", "0123456789ab",
	                      "index", 0, "swept", "scenario", "name", "s", "sha256", "0a1b",
	                      "axes", "metrics", "a", a);

	CHECK(results_write(pt, r) == 0);
	json_decref(r);
	free(pt);
	return dir;
}

static int merge(char *a, char *b, const char *out)
{
	char *o = xasprintf("%s/%s", top, out);
	char prog[] = "mmsim", cmd[] = "merge", opt_out[] = "--out", quiet[] = "--quiet";
	char *argv[] = { prog, cmd, a, b, opt_out, o, quiet, NULL };
	int rc = merge_main(7, argv);

	free(o);
	return rc;
}

static void conflicting_duplicates_are_refused(void)
{
	char *a = folder("a", 1), *b = folder("b", 2), *c = folder("c", 1);

	CHECK_EQ(merge(a, b, "ab"), 2);
	CHECK_EQ(merge(a, c, "ac"), 0);
	free(a);
	free(b);
	free(c);
}

int main(void)
{
	if (!mkdtemp(top))
		return 1;
	TEST(conflicting_duplicates_are_refused);
	remove_tree(top);
	return harness_failures ? 1 : 0;
}
