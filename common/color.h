/*
 * The colours of the log, the same in formation up (the daemon's
 * output) and in formation logs: each process type gets the colour of its
 * place in the Procfile, one-offs the next one, as foreman does; the
 * system lines are bold.
 */
#ifndef COLOR_H
#define COLOR_H

#define COLOR_RESET	"\033[0m"

/* The escape that starts a line of colour index i (-1: system, bold). */
const char	*color_code(int);

#endif
