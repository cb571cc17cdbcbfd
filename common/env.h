/*
 * An ordered environment: KEY=VALUE pairs in order of first definition,
 * each with the place it came from ("FILE:LINE", or "inherited").
 *
 * env_set() updates a key in place (a later duplicate keeps the first
 * position, as a Ruby, Python or JS hash does) or appends it. The struct
 * owns every string. env_init() before use, env_release() after.
 */
#ifndef ENV_H
#define ENV_H

#include <stddef.h>

struct env_var {
	char	*key;
	char	*value;
	char	*origin;
};

struct env {
	struct env_var	*vars;
	size_t		 n, alloc;
};

void		 env_init(struct env *);
void		 env_release(struct env *);
void		 env_copy(struct env *, const struct env *);
struct env_var	*env_find(const struct env *, const char *);
/* The value of key, or NULL when it is not set. */
const char	*env_get(const struct env *, const char *);
void		 env_set(struct env *, const char *, const char *,
		    const char *);
void		 env_unset(struct env *, const char *);
/* Add every "K=V" of a NULL-terminated array, with origin "inherited". */
void		 env_add_environ(struct env *, char *const *);
/* A NULL-terminated "K=V" array; free with strv_free(). */
char		**env_to_envp(const struct env *);
/* 1 if both hold the same keys, values and order, else 0. */
int		 env_equal(const struct env *, const struct env *);

#endif
