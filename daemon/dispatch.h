#ifndef DISPATCH_H
#define DISPATCH_H

#include <stddef.h>
#include <time.h>

/* Send a log line to every follower that wants it (output_tap). */
void	dispatch_tap(const char *, long long, int, const char *, size_t);

#endif
