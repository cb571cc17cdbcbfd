/*
 * Writing JSON into a strbuf. Strings are escaped as RFC 8259 asks;
 * bytes that are not valid UTF-8 come out as U+FFFD.
 */
#ifndef JSON_H
#define JSON_H

#include "common/strbuf.h"

void	json_str(struct strbuf *, const char *);
void	json_strn(struct strbuf *, const char *, size_t);

#endif
