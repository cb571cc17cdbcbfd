/*
 * The usage of each command, for formation help CMD and CMD --help.
 */
#ifndef HELP_H
#define HELP_H

#include <stdio.h>

/* "usage: formation ...", what it does, its options; -1 if there is no
 * such command. */
int	help_print(FILE *, const char *);

#endif
