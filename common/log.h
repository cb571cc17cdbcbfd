/*
 * The daemon's diagnostics, in the OpenBSD shape: log_warn() appends
 * strerror(errno), log_warnx() does not; fatal() and fatalx() exit 1.
 * Messages go to stderr as "formationd: message" (log_init() names the
 * program and sets verbosity).
 */
#ifndef LOG_H
#define LOG_H

void	log_init(const char *, int);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2)));

#endif
