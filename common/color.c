#include "common/color.h"

static const char *const colors[] = {
	"\033[36m", "\033[33m", "\033[32m", "\033[35m", "\033[31m",
	"\033[34m", "\033[96m", "\033[93m", "\033[92m", "\033[95m",
};

const char *
color_code(int i)
{
	if (i < 0)
		return "\033[1m";
	return colors[(unsigned)i % (sizeof colors / sizeof colors[0])];
}
