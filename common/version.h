/*
 * The version of formation and formationd: this line is the one place it
 * is written (debian/changelog must agree; a test checks that).
 */
#ifndef VERSION_H
#define VERSION_H

#define FORMATION_VERSION "0.2.0"

#endif
