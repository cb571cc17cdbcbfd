/*
 * Reload and rollback: build a new release and move the formation onto
 * it, instance by instance; the release history.
 */
#ifndef RELOAD_H
#define RELOAD_H

struct msg;
struct peer;

int	reload_request(struct peer *, struct msg *);
int	reload_releases(struct peer *, struct msg *);
int	reload_rollback(struct peer *, struct msg *);

#endif
