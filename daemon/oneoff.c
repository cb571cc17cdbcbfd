#include "common/msg.h"
#include "daemon/oneoff.h"
#include "daemon/server.h"

int
oneoff_request(struct peer *peer, struct msg *m)
{
	peer_error(peer, 125, "one-off processes are not available yet");
	return 0;
}

void
oneoff_caller_gone(struct proc *p)
{
}
