#ifndef DISPATCH_H
#define DISPATCH_H

#include <stddef.h>
#include <time.h>

struct msg;
struct peer;

/* Read "u32 n, n x str" into an allocated array of borrowed strings; -1
 * if it does not decode. */
int	dispatch_strings(struct msg *, const char ***, size_t *);
/* Every target must name a process or a type: -1, and the peer told
 * which does not, if one does not. */
int	dispatch_check_targets(struct peer *, const char **, size_t);

#endif
