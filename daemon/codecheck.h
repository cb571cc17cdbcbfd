/*
 * The code of the work tree now, read without holding up the loop.
 *
 * code_read() (common/code.h) waits for git, up to its timeout; the
 * daemon must not, as every process and every peer would wait with it.
 * codecheck_start() forks a child that runs code_read() and writes what
 * it found into a pipe; the loop reads the pipe and, once it is closed
 * and the child is gone, calls done once with the code (none when git
 * could not say, warn then why). A check can be cancelled until then;
 * done is not called after that.
 *
 * The child holds no descriptor of the daemon but the pipe, so that it
 * delays no one's EOF, and dies with the daemon.
 */
#ifndef CODECHECK_H
#define CODECHECK_H

struct code;
struct codecheck;

/* ok: 0 when git said (code may be none), -1 when it could not (warn
 * says why, NULL if it was never told). */
typedef void (*codecheck_fn)(const struct code *, int ok, const char *warn,
    void *);

/* NULL with errno when no child could be made. */
struct codecheck *codecheck_start(const char *, int, codecheck_fn, void *);
void	codecheck_cancel(struct codecheck *);

#endif
