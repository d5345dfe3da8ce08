/* util.h - allocation that aborts on failure, and small string helpers. */
#ifndef SIM_UTIL_H
#define SIM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* qsort, which takes no NULL array even for none: sorts @n items of @base, if any. */
void sort_items(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
/* printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Write @len bytes to @path atomically and durably (fsync, rename, fsync of the folder); 0 or -1. */
int write_file_atomic(const char *path, const char *data, size_t len);
/* mkdir -p; 0 or -1 (errno set). */
int mkdir_p(const char *path);
/* rm -r: @path and all under it, if there, never following a link; 0 or -1 (errno set). */
int remove_tree(const char *path);
/* cp -r @from @to (files written atomically, @last_name of each folder last; a link: -1, ELOOP); 0 or -1. */
int copy_tree(const char *from, const char *to, const char *last_name);

#endif
