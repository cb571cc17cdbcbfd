/*
 * Rolling: the instances marked roll_due (daemon/formation.h) are
 * replaced, per type `roll` at a time (formation.ini(5); a roll_start()
 * may say otherwise), without ever stopping one before its replacement
 * is ready.
 *
 * For each instance, a new one is started beside it on the current
 * release (formation_incoming(): its name, a PORT of its own); once that
 * one is ready, the old one is stopped, and the next instance of the type
 * is taken once the old one is gone. An instance that is not up (in a
 * back-off) is restarted in place; one the user stopped, or that is gone,
 * is left. A new instance that is not ready (in its ready_timeout, or it
 * exited first) ends the roll: every new instance not yet ready is
 * stopped, the old ones it was to replace run on, and the callback hears
 * which failed, why, and its last lines.
 *
 * The roll is looked at on every turn of the loop (an ev_prepare), so a
 * stop, a crash, a scale or a shutdown in the middle needs no special
 * case. One roll at a time: a roll_start() while one is under way takes
 * over what is left of it, and the first caller hears ROLL_SUPERSEDED.
 */
#ifndef ROLL_H
#define ROLL_H

enum roll_result {
	ROLL_OK,
	ROLL_FAILED,		/* why: which instance, why, its lines */
	ROLL_SUPERSEDED,	/* another roll took over */
	ROLL_STOPPED,		/* the formation is stopping */
};

typedef void (*roll_cb)(enum roll_result, const char *why, void *);

void	roll_init(void);
/* End a roll under way without a word (at exit). */
void	roll_free(void);
/*
 * Roll every roll_due member; parallel > 0 takes the place of each type's
 * roll. why goes into the log of each start and stop ("reload"). cb is
 * called once, maybe before roll_start() returns (nothing to roll).
 */
void	roll_start(int, const char *, roll_cb, void *);
int	roll_active(void);
/* The roll under way goes on, but its callback is not called. */
void	roll_detach(void);

#endif
