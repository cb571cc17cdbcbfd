#include "common/msg.h"
#include "daemon/reload.h"
#include "daemon/server.h"

int
reload_request(struct peer *peer, struct msg *m)
{
	peer_error(peer, 1, "reload is not available yet");
	return 0;
}

int
reload_releases(struct peer *peer, struct msg *m)
{
	peer_error(peer, 1, "releases are not available yet");
	return 0;
}

int
reload_rollback(struct peer *peer, struct msg *m)
{
	peer_error(peer, 1, "rollback is not available yet");
	return 0;
}
